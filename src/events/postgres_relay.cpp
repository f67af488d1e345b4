#include "events/postgres_relay.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/json.hpp"

namespace mecapy::events {
namespace {

constexpr const char* kChannel = "mecapy_events";

}  // namespace

PostgresRelay::PostgresRelay(EventBus& bus, db::Database& database, const std::string& url)
    : bus_(bus), database_(database), origin_(random_hex(8)) {
  bus_.set_relay([this](const Event& event) {
    database_.execute("SELECT pg_notify($1, $2)", {std::string(kChannel), encode(origin_, event)});
  });
  listener_ = std::make_unique<db::NotificationListener>(url, kChannel, [this](std::string_view payload) {
    std::string origin;
    Event event;
    if (decode(payload, origin, event) && origin != origin_) bus_.deliver(event);
  });
}

PostgresRelay::~PostgresRelay() {
  listener_.reset();
  bus_.set_relay({});
}

std::string PostgresRelay::encode(const std::string& origin, const Event& event) {
  return serialize_json(
      boost::json::object{{"o", origin}, {"t", event.type}, {"s", event.subject}, {"u", event.owner}});
}

bool PostgresRelay::decode(std::string_view payload, std::string& origin, Event& event) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(payload, ec);
  if (ec || !value.is_object()) return false;
  const auto& object = value.get_object();
  auto text = [&object](const char* key, std::string& out) {
    const auto* v = object.if_contains(key);
    if (!v || !v->is_string()) return false;
    out = std::string(v->get_string());
    return true;
  };
  return text("o", origin) && text("t", event.type) && text("s", event.subject) && text("u", event.owner);
}

}  // namespace mecapy::events
