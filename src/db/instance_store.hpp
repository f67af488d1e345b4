// The row that identifies this installation (table `instance`): created on first
// start, read by GET /api/v1/instance.
#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"

namespace mecapy::db {

struct InstanceInfo {
  std::string id;
  std::string name;
  std::string created_at;
};

// Returns the instance row, creating it with `default_name` if there is none.
InstanceInfo ensure_instance(Database& db, const std::string& default_name);
std::optional<InstanceInfo> find_instance(Database& db);

}  // namespace mecapy::db
