#include "loopback_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace mecapy::auth::oidc::testing {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went away (e.g. it cut an oversized answer)
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<RecordedRequest> read_request(int fd) {
  std::string data;
  char buffer[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  RecordedRequest request;
  std::string_view head = std::string_view(data).substr(0, header_end);
  const std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = request_line.find(' ', sp1 + 1);
  request.method = std::string(request_line.substr(0, sp1));
  request.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::size_t content_length = 0;
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find("\r\n"), rest.size());
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 2, rest.size()));
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    request.headers.emplace_back(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
    if (request.headers.back().first == "content-length") content_length = std::stoul(request.headers.back().second);
  }
  request.body = data.substr(header_end + 4);
  while (request.body.size() < content_length) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    request.body.append(buffer, static_cast<std::size_t>(n));
  }
  return request;
}

}  // namespace

std::string RecordedRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

std::string http_response(int status, std::string_view body, std::string_view content_type,
                          std::string_view extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " Status\r\n";
  if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  out += std::string(extra_headers) + "\r\n" + std::string(body);
  return out;
}

LoopbackHttp::LoopbackHttp(Handler handler) : handler_(std::move(handler)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0 || ::pipe(wake_) != 0) throw std::runtime_error("socket/pipe failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0)
    throw std::runtime_error("bind/listen failed");
  socklen_t size = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

LoopbackHttp::~LoopbackHttp() {
  stopping_ = true;
  const char byte = 0;
  (void)!::write(wake_[1], &byte, 1);
  thread_.join();
  for (const int fd : held_) ::close(fd);
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string LoopbackHttp::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<RecordedRequest> LoopbackHttp::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t LoopbackHttp::count(std::string_view path) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(), [path](const RecordedRequest& r) {
    return std::string_view(r.target).substr(0, r.target.find('?')) == path;
  }));
}

void LoopbackHttp::serve() {
  while (!stopping_) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) break;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection >= 0) handle(connection);
  }
}

void LoopbackHttp::handle(int connection) {
  auto request = read_request(connection);
  if (!request) {
    ::close(connection);
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(*request);
  }
  const auto response = handler_(*request);
  if (!response) {
    held_.push_back(connection);  // never answered; closed when the server stops
    return;
  }
  write_all(connection, *response);
  ::shutdown(connection, SHUT_WR);
  ::close(connection);
}

}  // namespace mecapy::auth::oidc::testing
