// Who is calling, and what a route requires of them.
//
// One authentication step in the pipeline (Pipeline::begin) turns each request's
// credentials into a Principal before the handler runs; handlers and domains read
// the principal (api::owner_of), never the credentials. Routes declare an Access;
// the pipeline answers 401 authentication-required or 403 insufficient-scope itself,
// so no handler can forget the check. Until identity is configured, every caller is
// the single owner "anonymous" with every scope (SingleUserAuthenticator); the
// identity work adds authenticators for JWTs, sessions and API tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::http {

struct Request;

enum class PrincipalKind {
  anonymous,    // no credentials while identity is configured: open routes only
  single_user,  // identity is not configured: everyone is the one owner
  user,         // an authenticated person
  service,      // an authenticated machine client (API token, client credentials)
};

// How the caller proved who they are.
enum class Credential {
  none,            // anonymous, or the single owner
  session,         // the browser's session cookie (and, for changes, its CSRF token)
  api_token,       // Authorization: Bearer mcp_...
  provider_token,  // Authorization: Bearer <JWT from the OpenID Connect provider>
};

// Credentials the request carried but that did not count (a session cookie on a
// change without its CSRF token, an ended session). The caller stays anonymous; a
// route that needs a signed-in caller answers 401 with this problem instead of the
// generic authentication-required, so the client learns what to fix.
struct IgnoredCredentials {
  std::string type;    // problem type slug, e.g. "csrf-token-invalid"
  std::string detail;  // safe to show
};

struct Principal {
  std::string id;  // the owner of what the caller creates
  PrincipalKind kind = PrincipalKind::anonymous;
  std::vector<std::string> scopes;
  bool every_scope = false;  // the single owner: no scope list to allocate per request
  Credential credential = Credential::none;
  std::string credential_id;       // the API token's id (audit, listing); empty otherwise
  std::vector<std::string> roles;  // the identity provider's roles, as last seen
  std::optional<IgnoredCredentials> ignored;

  bool authenticated() const { return kind != PrincipalKind::anonymous; }
  // The id of an identified user or service (for logs, per-user rollouts); empty
  // for an anonymous caller and for the single owner.
  std::string user_id() const {
    return kind == PrincipalKind::user || kind == PrincipalKind::service ? id : std::string();
  }
  bool has_scope(std::string_view scope) const;
  // The one owner of an installation without identity.
  static Principal single_user();
};

// The scopes a route may require (docs/identity.md). A person signed in through the
// browser or a provider's token holds read, run and deploy, and admin when they are
// an administrator; an API token holds the scopes it was created with.
namespace scope {
inline constexpr std::string_view read = "read";      // every GET of one's own and visible resources
inline constexpr std::string_view run = "run";        // execute and cancel jobs, upload and delete files
inline constexpr std::string_view deploy = "deploy";  // publish packages, change their visibility, yank
inline constexpr std::string_view admin = "admin";    // users, organisations' administration, audit log
}  // namespace scope

// What a route requires. The default is secure: an authenticated caller.
struct Access {
  bool authenticated = true;
  std::string scope;  // empty: being authenticated is enough

  static Access open() { return {false, {}}; }
  static Access with_scope(std::string_view scope) { return {true, std::string(scope)}; }
};

// Turns a request's credentials into a principal. Throws Error(unauthenticated)
// when credentials are present but invalid; returns an anonymous principal when
// there are none.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual Principal authenticate(const Request& request) const = 0;
};

// No identity configured: every request is the single owner's.
class SingleUserAuthenticator final : public Authenticator {
 public:
  Principal authenticate(const Request&) const override { return Principal::single_user(); }
};

}  // namespace mecapy::http
