#include "auth/accounts/audit_log.hpp"

#include "auth/accounts/row_reader.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr const char* kEventColumns = "id, at, actor, action, target, outcome, ip, request_id, detail";

AuditEvent read_event(const db::Result& result, const db::Row& row) {
  const RowReader r(result, row);
  AuditEvent e;
  e.id = r.int64("id");
  e.at = r.text("at");
  e.actor = r.text("actor");
  e.action = r.text("action");
  e.target = r.text("target");
  e.outcome = r.text("outcome");
  e.ip = r.text("ip");
  e.request_id = r.text("request_id");
  const boost::json::value detail = parse_json(r.text("detail"));
  if (detail.is_object()) e.detail = detail.as_object();
  return e;
}

}  // namespace

AuditEvent AuditLog::record(AuditEvent event, TimePoint now) {
  if (event.actor.empty() || event.action.empty())
    throw Error(ErrorKind::invalid_input, "invalid-audit-event", "An audit event needs an actor and an action.");
  event.at = timestamp(now);
  const auto r = db_.execute(
      "INSERT INTO audit_events (at, actor, action, target, outcome, ip, request_id, detail)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {event.at, event.actor, event.action, event.target, event.outcome, event.ip, event.request_id,
       serialize_json(event.detail)});
  event.id = r.rows.at(0).int64(0);
  return event;
}

AuditPage AuditLog::list(const AuditQuery& query) {
  const std::string limit = limit_clause(query.page);
  std::string where = " FROM audit_events WHERE 1 = 1";
  std::vector<db::Value> params;
  auto filter = [&](const std::string& condition, db::Value value) {
    params.push_back(std::move(value));
    where += " AND " + condition + " $" + std::to_string(params.size());
  };
  if (!query.actor.empty()) filter("actor =", query.actor);
  if (!query.action.empty()) filter("action =", query.action);
  if (query.since) filter("at >=", timestamp(*query.since));
  AuditPage page;
  page.total = db_.execute("SELECT COUNT(*)" + where, params).rows.at(0).int64(0);
  const auto r = db_.execute(std::string("SELECT ") + kEventColumns + where + " ORDER BY id DESC" + limit, params);
  for (const auto& row : r.rows) page.items.push_back(read_event(r, row));
  return page;
}

}  // namespace mecapy::auth::accounts
