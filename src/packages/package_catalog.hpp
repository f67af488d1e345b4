// The package catalogue: packages, their immutable versions and the function versions
// they hold, in the metadata store (tables packages, package_versions,
// function_versions). Source archives live in the blob store, referenced through
// storage::BlobReferences like files.
//
// A version is published in one transaction that also locks its package's row, so
// versions of one package only go up, even when several API instances deploy at
// once: publish() refuses a version whose semver precedence is not above every
// existing one (409). Versions are never changed after publication except for the
// yanked flag; a package's visibility and archived flag may change.
//
// Access: every package has an owner, a user or an organisation. A package is visible
// to whoever acts for its owner (the user, or the organisation's members); when
// public, to everyone, anonymous callers included; when internal, to every signed-in
// user if a user owns it, to the organisation's members if an organisation does.
// Changes are checked by the caller (the API) and name the owner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "storage/blob_references.hpp"

namespace mecapy::packages {

// Who is looking: a signed-in user with the organisations they belong to, or an
// anonymous caller (empty id), who sees public packages only.
struct Viewer {
  std::string id;
  std::vector<std::string> organisations;

  bool signed_in() const { return !id.empty(); }
  // Whether the viewer acts for `owner`: is that user, or a member of that organisation.
  bool acts_for(const std::string& owner) const;
};

struct PackageRecord {
  std::string id;
  std::string owner_id;
  std::string owner_kind = "user";  // user | organisation
  std::string name;
  std::string description;
  std::string visibility;  // private | internal | public
  std::string tags;        // JSON array text
  std::int64_t archived = 0;
  std::string latest_version;  // highest version that is not yanked ("" when all are)
  std::string created_at;
  std::string updated_at;
};

struct PackageVersionRecord {
  std::string id;
  std::string package_id;
  std::string owner_id;
  std::string version;
  std::string manifest;  // the mecapy.yml text
  std::string source_blob_key;
  std::string source_sha256;   // of the normalised source tree (packages/source_tree.hpp)
  std::string archive_sha256;  // of the archive as uploaded
  std::uint64_t archive_size = 0;
  std::string runtime;  // JSON: requested version, interpreter used, requirements
  std::string report;   // JSON: the deploy report
  std::int64_t yanked = 0;
  std::string created_at;
};

struct FunctionVersionRecord {
  std::string id;
  std::string package_version_id;
  std::string package_id;
  std::string owner_id;
  std::string name;
  std::string checksum;
  std::string spec;          // JSON: handler, io spec, schemas, resources, interpreter
  std::string test_results;  // JSON array
  std::string created_at;
};

struct PackageQuery {
  int page = 1;
  int per_page = 20;       // 1..100
  std::string owner;       // only this owner's packages
  std::string search;      // substring of the name or description, case-insensitive
  std::string tag;         // packages carrying this tag
  std::string visibility;  // only this visibility
  bool include_archived = false;
};

struct PackagePage {
  std::vector<PackageRecord> items;
  std::int64_t total = 0;
};

// A version ready to publish: its rows, and the archive blob already committed.
struct NewVersion {
  PackageRecord package;  // for a new package: the full row; else id, description, tags
  bool new_package = false;
  PackageVersionRecord version;
  std::vector<FunctionVersionRecord> functions;
  storage::BlobInfo source_blob;
};

class PackageCatalog {
 public:
  PackageCatalog(db::Database& db, storage::BlobReferences& references);

  // `ref` is a package id or "owner/name". Only packages `viewer` may see.
  std::optional<PackageRecord> find(const Viewer& viewer, const std::string& ref);
  std::optional<PackageRecord> find_by_name(const std::string& owner, const std::string& name);
  PackagePage list(const Viewer& viewer, const PackageQuery& query);

  // Newest first. Yanked versions only when asked for.
  std::vector<PackageVersionRecord> versions(const std::string& package_id, bool include_yanked);
  std::optional<PackageVersionRecord> version(const std::string& package_id, const std::string& version);
  std::vector<FunctionVersionRecord> functions_of(const std::string& package_version_id);
  std::optional<FunctionVersionRecord> function_version(const std::string& id);

  // Publishes in one transaction (package row, version, functions, blob reference).
  // Throws Error(conflict, "version-exists") for a version already there and
  // Error(conflict, "version-not-increasing") for one below the highest.
  void publish(NewVersion& version);

  // Owner-only changes; Error(not_found) for anyone else.
  PackageRecord set_visibility(const std::string& owner, const std::string& package_id, const std::string& visibility);
  PackageRecord set_archived(const std::string& owner, const std::string& package_id, bool archived);
  PackageVersionRecord set_yanked(const std::string& owner, const std::string& package_id, const std::string& version,
                                  bool yanked);

 private:
  void refresh_latest(db::Connection& c, const std::string& package_id);

  db::Database& db_;
  storage::BlobReferences& references_;
};

// Whether `viewer` may see `package` (the rules above).
bool may_view(const Viewer& viewer, const PackageRecord& package);

}  // namespace mecapy::packages
