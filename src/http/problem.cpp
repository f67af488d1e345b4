#include "http/problem.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"

namespace mecapy::http {

std::string problem_type_uri(std::string_view slug) { return "/docs/problems#" + std::string(slug); }

std::string_view status_title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return status < 500 ? "Client Error" : "Server Error";
  }
}

Response problem_response(const Problem& p, const std::string& request_id) {
  boost::json::object o = p.extra;
  o["type"] = problem_type_uri(p.slug);
  o["title"] = p.title.empty() ? std::string(status_title(p.status)) : p.title;
  o["status"] = p.status;
  o["detail"] = p.detail;
  o["request_id"] = request_id;
  Response r;
  r.status = p.status;
  r.headers.set("Content-Type", "application/problem+json");
  r.body = boost::json::serialize(o);
  return r;
}

Problem problem_from_exception(const std::exception_ptr& error) {
  std::string note;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    auto known = [&e](int status, const char* title) {
      Problem p{status, e.code(), title, e.what()};
      p.internal_note = e.cause();
      if (const auto* detailed = dynamic_cast<const DetailedError*>(&e)) p.extra = detailed->members();
      return p;
    };
    switch (e.kind()) {
      case ErrorKind::invalid_input:
        return known(400, "Invalid input");
      case ErrorKind::unprocessable:
        return known(422, "Unprocessable content");
      case ErrorKind::unauthenticated:
        return known(401, "Authentication required");
      case ErrorKind::forbidden:
        return known(403, "Forbidden");
      case ErrorKind::not_found:
        return known(404, "Not found");
      case ErrorKind::conflict:
        return known(409, "Conflict");
      case ErrorKind::too_large:
        return known(413, "Content too large");
      case ErrorKind::too_many_requests:
        return known(429, "Too many requests");
      case ErrorKind::insufficient_storage:
        return known(507, "Insufficient storage");
      case ErrorKind::unavailable:
        return known(503, "Service unavailable");
      case ErrorKind::corrupted:
        return known(500, "Stored data corrupted");
      case ErrorKind::internal:
        break;
    }
    note = std::string("internal error: ") + e.what() + (e.cause().empty() ? "" : " (" + e.cause() + ")");
  } catch (const std::exception& e) {
    note = std::string("unhandled exception: ") + e.what();
  } catch (...) {
    note = "unhandled non-standard exception";
  }
  Problem p{500, "internal-error", "Internal server error",
            "The server failed to handle this request. Quote the request_id when reporting it."};
  p.internal_note = note;
  return p;
}

}  // namespace mecapy::http
