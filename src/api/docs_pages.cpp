#include "api/docs_pages.hpp"

#include <boost/json.hpp>

#include "core/embedded.hpp"

namespace mecapy {
const std::vector<EmbeddedFile>& embedded_api_files();
}

namespace mecapy::api {
namespace {

std::string escape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string str(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Renders `text`, turning `code` spans into <code> elements.
std::string prose(std::string_view text) {
  std::string out;
  bool in_code = false;
  for (char c : text) {
    if (c == '`') {
      out += in_code ? "</code>" : "<code>";
      in_code = !in_code;
    } else {
      out += escape(std::string_view(&c, 1));
    }
  }
  if (in_code) out += "</code>";
  return out;
}

const char* kStyle =
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}"
    "h1{margin-bottom:.2rem}code{background:#eef1f6;padding:0 .25rem;border-radius:3px}"
    ".op{border:1px solid #d5dbe5;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}"
    ".m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}"
    ".GET{color:#1a7f37}.POST{color:#0b5cad}.PUT,.PATCH{color:#9a6700}.DELETE{color:#c21b1b}"
    "table{border-collapse:collapse}td,th{border-bottom:1px solid #e3e7ee;padding:.3rem .6rem;text-align:left}";

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width,initial-scale=1\"><title>" +
         escape(title) + "</title><style>" + kStyle + "</style></head><body>" + body + "</body></html>";
}

}  // namespace

const boost::json::value& openapi_document() {
  static const boost::json::value doc = [] {
    for (const auto& f : embedded_api_files())
      if (f.name == "openapi.json") return boost::json::parse(f.content);
    return boost::json::value(boost::json::object{});
  }();
  return doc;
}

std::string render_reference_page(const boost::json::value& openapi) {
  const auto& root = openapi.as_object();
  const auto& info = root.at("info").as_object();
  std::string body = "<h1>" + escape(str(info, "title")) + "</h1><p>" + prose(str(info, "summary")) + "</p><p>" +
                     prose(str(info, "description")) +
                     "</p><p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> · Error types: <a "
                     "href=\"/docs/problems\">/docs/problems</a></p>";
  for (const auto& [path, item] : root.at("paths").as_object()) {
    for (const auto& [method, op_value] : item.as_object()) {
      const auto& op = op_value.as_object();
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      body += "<div class=\"op\" id=\"";
      body += escape(str(op, "operationId"));
      body += "\"><span class=\"m " + upper + "\">" + upper + "</span> <code>";
      body += escape(path);
      body += "</code> — ";
      body += escape(str(op, "summary"));
      if (const auto d = str(op, "description"); !d.empty()) body += "<p>" + prose(d) + "</p>";
      body += "<table><tr><th>Status</th><th>Meaning</th></tr>";
      for (const auto& [status, resp] : op.at("responses").as_object()) {
        const auto& r = resp.as_object();
        const std::string meaning = r.contains("$ref") ? "Error, as application/problem+json" : str(r, "description");
        body += "<tr><td>" + escape(status) + "</td><td>" + escape(meaning) + "</td></tr>";
      }
      body += "</table></div>";
    }
  }
  return page(str(info, "title") + " reference", body);
}

std::string render_problem_types_page(const boost::json::value& openapi) {
  std::string body =
      "<h1>Problem types</h1><p>Every error of the API is an <code>application/problem+json</code> document (RFC "
      "9457). Its <code>type</code> links here.</p><table><tr><th>Type</th><th>Status</th><th>Meaning</th></tr>";
  for (const auto& t : openapi.as_object().at("x-problem-types").as_array()) {
    const auto& o = t.as_object();
    const std::string slug = str(o, "slug");
    body += "<tr id=\"" + escape(slug) + "\"><td><code>" + escape(slug) + "</code></td><td>" +
            std::to_string(o.at("status").as_int64()) + "</td><td><b>" + escape(str(o, "title")) + "</b>. " +
            prose(str(o, "description")) + "</td></tr>";
  }
  body += "</table><p><a href=\"/docs\">Back to the API reference</a></p>";
  return page("MecaPy problem types", body);
}

}  // namespace mecapy::api
