#include "packages/package_catalog.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "db/record_map.hpp"
#include "packages/semver.hpp"

namespace mecapy::packages {
namespace {

const db::RecordMap<PackageRecord>& package_map() {
  static const auto map = db::RecordMap<PackageRecord>()
                              .text("id", &PackageRecord::id)
                              .text("owner_id", &PackageRecord::owner_id)
                              .text("name", &PackageRecord::name)
                              .text("description", &PackageRecord::description)
                              .text("visibility", &PackageRecord::visibility)
                              .text("owner_kind", &PackageRecord::owner_kind)
                              .text("tags", &PackageRecord::tags)
                              .int64("archived", &PackageRecord::archived)
                              .text("latest_version", &PackageRecord::latest_version)
                              .text("created_at", &PackageRecord::created_at)
                              .text("updated_at", &PackageRecord::updated_at);
  return map;
}

const db::RecordMap<PackageVersionRecord>& version_map() {
  static const auto map = db::RecordMap<PackageVersionRecord>()
                              .text("id", &PackageVersionRecord::id)
                              .text("package_id", &PackageVersionRecord::package_id)
                              .text("owner_id", &PackageVersionRecord::owner_id)
                              .text("version", &PackageVersionRecord::version)
                              .text("manifest", &PackageVersionRecord::manifest)
                              .text("source_blob_key", &PackageVersionRecord::source_blob_key)
                              .text("source_sha256", &PackageVersionRecord::source_sha256)
                              .text("archive_sha256", &PackageVersionRecord::archive_sha256)
                              .count("archive_size", &PackageVersionRecord::archive_size)
                              .text("runtime", &PackageVersionRecord::runtime)
                              .text("report", &PackageVersionRecord::report)
                              .int64("yanked", &PackageVersionRecord::yanked)
                              .text("created_at", &PackageVersionRecord::created_at);
  return map;
}

const db::RecordMap<FunctionVersionRecord>& function_map() {
  static const auto map = db::RecordMap<FunctionVersionRecord>()
                              .text("id", &FunctionVersionRecord::id)
                              .text("package_version_id", &FunctionVersionRecord::package_version_id)
                              .text("package_id", &FunctionVersionRecord::package_id)
                              .text("owner_id", &FunctionVersionRecord::owner_id)
                              .text("name", &FunctionVersionRecord::name)
                              .text("checksum", &FunctionVersionRecord::checksum)
                              .text("spec", &FunctionVersionRecord::spec)
                              .text("test_results", &FunctionVersionRecord::test_results)
                              .text("created_at", &FunctionVersionRecord::created_at);
  return map;
}

// Newest (highest precedence) first.
void sort_by_precedence(std::vector<PackageVersionRecord>& versions) {
  std::stable_sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    const auto va = Semver::parse(a.version);
    const auto vb = Semver::parse(b.version);
    if (!va || !vb) return a.created_at > b.created_at;
    return *vb < *va;
  });
}

template <class T>
std::optional<T> first(const db::RecordMap<T>& map, const db::Result& result) {
  if (result.rows.empty()) return std::nullopt;
  return map.read(result, result.rows.front());
}

}  // namespace

bool Viewer::acts_for(const std::string& owner) const {
  return signed_in() &&
         (owner == id || std::find(organisations.begin(), organisations.end(), owner) != organisations.end());
}

bool may_view(const Viewer& viewer, const PackageRecord& package) {
  if (package.visibility == "public" || viewer.acts_for(package.owner_id)) return true;
  return package.visibility == "internal" && viewer.signed_in() && package.owner_kind == "user";
}

PackageCatalog::PackageCatalog(db::Database& db, storage::BlobReferences& references)
    : db_(db), references_(references) {}

std::optional<PackageRecord> PackageCatalog::find(const Viewer& viewer, const std::string& ref) {
  std::optional<PackageRecord> found;
  if (const auto slash = ref.find('/'); slash != std::string::npos) {
    found = find_by_name(ref.substr(0, slash), ref.substr(slash + 1));
  } else {
    found =
        first(package_map(), db_.execute("SELECT " + package_map().columns() + " FROM packages WHERE id = $1", {ref}));
  }
  if (found && !may_view(viewer, *found)) return std::nullopt;
  return found;
}

std::optional<PackageRecord> PackageCatalog::find_by_name(const std::string& owner, const std::string& name) {
  return first(package_map(),
               db_.execute("SELECT " + package_map().columns() + " FROM packages WHERE owner_id = $1 AND name = $2",
                           {owner, name}));
}

PackagePage PackageCatalog::list(const Viewer& viewer, const PackageQuery& q) {
  if (q.page < 1 || q.per_page < 1 || q.per_page > 100)
    throw Error(ErrorKind::invalid_input, "invalid-query", "page must be at least 1 and per_page between 1 and 100.");
  // The rules of may_view(), in SQL.
  std::vector<db::Value> params;
  std::string where = " FROM packages WHERE (visibility = 'public'";
  if (viewer.signed_in()) {
    std::string owners;
    params.emplace_back(viewer.id);
    owners += "$1";
    for (const auto& org : viewer.organisations) {
      params.emplace_back(org);
      owners += ", $" + std::to_string(params.size());
    }
    where += " OR owner_id IN (" + owners + ") OR (visibility = 'internal' AND owner_kind = 'user')";
  }
  where += ")";
  auto add = [&](const std::string& condition, db::Value value) {
    params.push_back(std::move(value));
    std::string c = condition;
    c.replace(c.find('?'), 1, "$" + std::to_string(params.size()));
    where += " AND " + c;
  };
  if (!q.owner.empty()) add("owner_id = ?", q.owner);
  if (!q.visibility.empty()) add("visibility = ?", q.visibility);
  if (!q.include_archived) where += " AND archived = 0";
  if (!q.search.empty()) {
    const std::string pattern = "%" + db::escape_like(q.search) + "%";
    params.push_back(pattern);
    const std::string n = "$" + std::to_string(params.size());
    where +=
        " AND (LOWER(name) LIKE LOWER(" + n + ") ESCAPE '\\' OR LOWER(description) LIKE LOWER(" + n + ") ESCAPE '\\')";
  }
  if (!q.tag.empty()) {
    // Tags are stored as a JSON array of strings; a tag never contains '"' or '\'
    // (the manifest refuses them), so the quoted form matches exactly one element.
    add("tags LIKE ? ESCAPE '\\'", "%\"" + db::escape_like(q.tag) + "\"%");
  }
  PackagePage page;
  page.total = db_.execute("SELECT COUNT(*)" + where, params).rows.at(0).int64(0);
  const std::string limit =
      " LIMIT " + std::to_string(q.per_page) + " OFFSET " + std::to_string((q.page - 1) * q.per_page);
  page.items = package_map().read_all(
      db_.execute("SELECT " + package_map().columns() + where + " ORDER BY owner_id, name" + limit, params));
  return page;
}

std::vector<PackageVersionRecord> PackageCatalog::versions(const std::string& package_id, bool include_yanked) {
  auto versions = version_map().read_all(db_.execute("SELECT " + version_map().columns() +
                                                         " FROM package_versions WHERE package_id = $1" +
                                                         (include_yanked ? "" : " AND yanked = 0"),
                                                     {package_id}));
  sort_by_precedence(versions);
  return versions;
}

std::optional<PackageVersionRecord> PackageCatalog::version(const std::string& package_id, const std::string& version) {
  return first(version_map(), db_.execute("SELECT " + version_map().columns() +
                                              " FROM package_versions WHERE package_id = $1 AND version = $2",
                                          {package_id, version}));
}

std::vector<FunctionVersionRecord> PackageCatalog::functions_of(const std::string& package_version_id) {
  return function_map().read_all(db_.execute(
      "SELECT " + function_map().columns() + " FROM function_versions WHERE package_version_id = $1 ORDER BY name",
      {package_version_id}));
}

std::optional<FunctionVersionRecord> PackageCatalog::function_version(const std::string& id) {
  return first(function_map(),
               db_.execute("SELECT " + function_map().columns() + " FROM function_versions WHERE id = $1", {id}));
}

void PackageCatalog::publish(NewVersion& v) {
  const auto wanted = Semver::parse(v.version.version);
  if (!wanted) throw Error(ErrorKind::invalid_input, "invalid-version", Semver::problem(v.version.version));
  references_.protect(v.source_blob.key);
  db_.transaction([&](db::Connection& c) {
    const std::string now = now_rfc3339();
    if (v.new_package) {
      v.package.created_at = v.package.updated_at = now;
      c.execute("INSERT INTO packages (" + package_map().columns() + ") VALUES (" + package_map().placeholders() + ")",
                package_map().values(v.package));
    } else {
      // Locks the package's row: concurrent publications of one package queue here.
      const auto updated = c.execute("UPDATE packages SET description = $1, tags = $2, updated_at = $3 WHERE id = $4",
                                     {v.package.description, v.package.tags, now, v.package.id});
      if (updated.affected_rows != 1)
        throw Error(ErrorKind::not_found, "package-not-found", "The package no longer exists.");
    }
    for (const auto& row :
         c.execute("SELECT version FROM package_versions WHERE package_id = $1", {v.package.id}).rows) {
      const std::string existing = row.text(0);
      const auto other = Semver::parse(existing);
      if (!other) continue;
      if (*other == *wanted)
        throw Error(ErrorKind::conflict, "version-exists",
                    "Version " + existing + " of " + v.package.name +
                        " already exists and versions are immutable: raise package.version in mecapy.yml.");
      if (*wanted < *other)
        throw Error(ErrorKind::conflict, "version-not-increasing",
                    "Version " + v.version.version + " is below the existing " + existing + " of " + v.package.name +
                        ": versions only go up; use a version above the highest one.");
    }
    references_.acquire(c, v.source_blob);
    v.version.created_at = now;
    c.execute(
        "INSERT INTO package_versions (" + version_map().columns() + ") VALUES (" + version_map().placeholders() + ")",
        version_map().values(v.version));
    for (auto& f : v.functions) {
      f.created_at = now;
      c.execute("INSERT INTO function_versions (" + function_map().columns() + ") VALUES (" +
                    function_map().placeholders() + ")",
                function_map().values(f));
    }
    refresh_latest(c, v.package.id);
  });
  if (!references_.confirm(v.source_blob.key))
    throw Error(ErrorKind::unavailable, "blob-vanished",
                "The package's archive vanished from the blob store while it was published; deploy it again.");
}

void PackageCatalog::refresh_latest(db::Connection& c, const std::string& package_id) {
  std::optional<Semver> best;
  std::string latest;
  for (const auto& row :
       c.execute("SELECT version FROM package_versions WHERE package_id = $1 AND yanked = 0", {package_id}).rows) {
    const std::string text = row.text(0);
    const auto v = Semver::parse(text);
    if (v && (!best || *best < *v)) {
      best = v;
      latest = text;
    }
  }
  c.execute("UPDATE packages SET latest_version = $1 WHERE id = $2", {latest, package_id});
}

namespace {

PackageRecord owned_or_throw(db::Connection& c, const std::string& owner, const std::string& package_id) {
  const auto result = c.execute("SELECT " + package_map().columns() + " FROM packages WHERE id = $1", {package_id});
  auto package = first(package_map(), result);
  if (!package || package->owner_id != owner)
    throw Error(ErrorKind::not_found, "package-not-found", "You have no package " + package_id + ".");
  return *package;
}

}  // namespace

PackageRecord PackageCatalog::set_visibility(const std::string& owner, const std::string& package_id,
                                             const std::string& visibility) {
  PackageRecord out;
  db_.transaction([&](db::Connection& c) {
    out = owned_or_throw(c, owner, package_id);
    out.visibility = visibility;
    out.updated_at = now_rfc3339();
    c.execute("UPDATE packages SET visibility = $1, updated_at = $2 WHERE id = $3",
              {out.visibility, out.updated_at, package_id});
  });
  return out;
}

PackageRecord PackageCatalog::set_archived(const std::string& owner, const std::string& package_id, bool archived) {
  PackageRecord out;
  db_.transaction([&](db::Connection& c) {
    out = owned_or_throw(c, owner, package_id);
    out.archived = archived ? 1 : 0;
    out.updated_at = now_rfc3339();
    c.execute("UPDATE packages SET archived = $1, updated_at = $2 WHERE id = $3",
              {out.archived, out.updated_at, package_id});
  });
  return out;
}

PackageVersionRecord PackageCatalog::set_yanked(const std::string& owner, const std::string& package_id,
                                                const std::string& version, bool yanked) {
  PackageVersionRecord out;
  db_.transaction([&](db::Connection& c) {
    owned_or_throw(c, owner, package_id);
    auto found = first(version_map(), c.execute("SELECT " + version_map().columns() +
                                                    " FROM package_versions WHERE package_id = $1 AND version = $2",
                                                {package_id, version}));
    if (!found) throw Error(ErrorKind::not_found, "version-not-found", "The package has no version " + version + ".");
    out = *found;
    out.yanked = yanked ? 1 : 0;
    c.execute("UPDATE package_versions SET yanked = $1 WHERE id = $2", {out.yanked, out.id});
    c.execute("UPDATE packages SET updated_at = $1 WHERE id = $2", {now_rfc3339(), package_id});
    refresh_latest(c, package_id);
  });
  return out;
}

}  // namespace mecapy::packages
