// application/problem+json (RFC 9457) responses. Every error the API returns is built
// here, so every error has the same shape:
//   {type, title, status, detail, request_id, ...extra members}
// `type` is a stable URI per kind of problem: /docs/problems#<slug>, which the server
// itself documents, so it resolves against the API's own address.
#pragma once

#include <boost/json/object.hpp>
#include <exception>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace mecapy::http {

struct Problem {
  Problem(int status_code, std::string slug_, std::string title_, std::string detail_)
      : status(status_code), slug(std::move(slug_)), title(std::move(title_)), detail(std::move(detail_)) {}

  int status = 500;
  std::string slug;    // e.g. "not-found"; becomes the fragment of `type`
  std::string title;   // short, the same for every occurrence of this slug
  std::string detail;  // this occurrence: what happened and what to do
  boost::json::object extra;
  // For the log only, never sent: what really failed (500s), or the operator-only
  // cause of a known error (a driver message, a path).
  std::string internal_note;
};

std::string problem_type_uri(std::string_view slug);
Response problem_response(const Problem& p, const std::string& request_id);

// The problem for an exception escaping a handler: mecapy::Error kinds map to their
// status (invalid_input 400, not_found 404, conflict 409, too_large 413,
// insufficient_storage 507, unavailable 503, corrupted 500 with its detail); anything else is a 500 whose
// detail hides internals.
Problem problem_from_exception(const std::exception_ptr& error);

// Standard reason phrase of a status code ("Not Found").
std::string_view status_title(int status);

}  // namespace mecapy::http
