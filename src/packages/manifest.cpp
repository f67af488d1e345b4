#include "packages/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json/object.hpp>
#include <cmath>
#include <regex>
#include <set>

#include "core/numbers.hpp"
#include "packages/did_you_mean.hpp"
#include "packages/schema_validator.hpp"
#include "packages/semver.hpp"
#include "packages/spdx.hpp"
#include "packages/yaml_json.hpp"

namespace mecapy::packages {

std::string ManifestProblem::to_string() const {
  if (at.line == 0) return file + ": " + message;
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + message;
}

std::string_view to_string(Visibility visibility) {
  switch (visibility) {
    case Visibility::private_:
      return "private";
    case Visibility::internal:
      return "internal";
    case Visibility::public_:
      return "public";
  }
  return "private";
}

std::optional<Visibility> parse_visibility(std::string_view text) {
  if (text == "private") return Visibility::private_;
  if (text == "internal") return Visibility::internal;
  if (text == "public") return Visibility::public_;
  return std::nullopt;
}

namespace {

SourcePosition position_of(const YAML::Mark& mark) {
  if (mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + words[i];
  return out;
}

const std::regex& identifier_pattern() {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
  return pattern;
}

// Reads one manifest into a Manifest, collecting problems as it goes; never throws
// for the manifest's content.
class ManifestReader {
 public:
  explicit ManifestReader(const ManifestOptions& options) : options_(options) {}

  ManifestReport read(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      error(e.mark, "this is not valid YAML: " + e.msg);
      return finish();
    }
    if (!root.IsMap()) {
      error(root.Mark(), "the manifest must be a mapping with the keys version, package and functions");
      return finish();
    }
    read_root(root);
    return finish();
  }

 private:
  ManifestReport finish() {
    ManifestReport report;
    report.errors = std::move(errors_);
    report.warnings = std::move(warnings_);
    if (report.errors.empty()) report.manifest = std::move(manifest_);
    return report;
  }

  void error(const YAML::Mark& mark, std::string message) {
    errors_.push_back({options_.file_name, position_of(mark), std::move(message)});
  }
  void error_at(SourcePosition at, std::string message) {
    errors_.push_back({options_.file_name, at, std::move(message)});
  }
  void warning(const YAML::Mark& mark, std::string message) {
    warnings_.push_back({options_.file_name, position_of(mark), std::move(message)});
  }

  // The entries of a mapping, keyed by name. Reports duplicate keys, non-string keys
  // and (unless `known` is empty) unknown keys: as warnings when `unknown_is_warning`
  // (the top level), else as errors with the closest known key.
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map, const std::string& where,
                                                                   const std::vector<std::string>& known,
                                                                   bool unknown_is_warning = false) {
    std::map<std::string, std::pair<YAML::Node, YAML::Node>> out;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) {
        error(entry.first.Mark(), "keys in " + where + " must be plain names");
        continue;
      }
      const std::string& key = entry.first.Scalar();
      if (out.contains(key)) {
        error(entry.first.Mark(), "duplicate key '" + key + "' in " + where + ": keep only one");
        continue;
      }
      if (!known.empty() && std::find(known.begin(), known.end(), key) == known.end()) {
        if (unknown_is_warning) {
          warning(entry.first.Mark(), "unknown top-level key '" + key + "' is ignored");
        } else {
          std::string message = "unknown key '" + key + "' in " + where;
          if (const auto near = closest_name(key, known)) {
            message += "; did you mean '" + *near + "'?";
          } else {
            message += "; expected one of: " + join(known);
          }
          error(entry.first.Mark(), message);
        }
        continue;
      }
      out.emplace(key, std::make_pair(entry.first, entry.second));
    }
    return out;
  }

  std::optional<std::string> text(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar() || scalar_kind(node) == ScalarKind::null_value) {
      error(node.Mark(), what + " must be a text value");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar() && scalar_kind(node) == ScalarKind::boolean) {
      const char first = node.Scalar()[0];
      return first == 't' || first == 'T';
    }
    error(node.Mark(), what + " must be true or false");
    return std::nullopt;
  }

  std::optional<double> number(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar()) {
      const auto kind = scalar_kind(node);
      if (kind == ScalarKind::integer || kind == ScalarKind::number) {
        std::vector<YamlProblem> problems;
        const auto value = yaml_to_json(node, problems);
        for (auto& p : problems) error(p.mark, what + ": " + p.message);
        if (value.is_int64()) return static_cast<double>(value.as_int64());
        if (value.is_double()) return value.as_double();
        return std::nullopt;
      }
    }
    error(node.Mark(), what + " must be a number");
    return std::nullopt;
  }

  std::optional<std::uint64_t> positive_integer(const YAML::Node& node, const std::string& what, std::uint64_t limit) {
    if (node.IsScalar() && scalar_kind(node) == ScalarKind::integer) {
      std::vector<YamlProblem> problems;
      const auto value = yaml_to_json(node, problems);
      if (value.is_int64() && value.as_int64() > 0 && static_cast<std::uint64_t>(value.as_int64()) <= limit) {
        return static_cast<std::uint64_t>(value.as_int64());
      }
    }
    error(node.Mark(), what + " must be a whole number from 1 to " + std::to_string(limit));
    return std::nullopt;
  }

  void read_root(const YAML::Node& root) {
    const auto top = entries(root, "the manifest", {"version", "package", "runtime", "functions", "quality"}, true);
    if (const auto it = top.find("version"); it == top.end()) {
      error(root.Mark(), "the manifest needs 'version: \"1\"' at the top");
    } else if (const auto& node = it->second.second; !node.IsScalar() || node.Scalar() != "1") {
      error(node.Mark(), "manifest version '" + (node.IsScalar() ? node.Scalar() : std::string("?")) +
                             "' is not supported: write version: \"1\"");
    }
    if (const auto it = top.find("package"); it == top.end()) {
      error(root.Mark(), "the manifest needs a 'package:' section with at least name and version");
    } else {
      read_package(it->second.second);
    }
    if (const auto it = top.find("runtime"); it != top.end()) read_runtime(it->second.second);
    if (const auto it = top.find("quality"); it != top.end()) read_quality(it->second.second);
    if (const auto it = top.find("functions"); it == top.end()) {
      error(root.Mark(), "the manifest needs a 'functions:' section declaring at least one function");
    } else {
      read_functions(it->second.second);
    }
  }

  void read_package(const YAML::Node& node) {
    if (!node.IsMap()) {
      error(node.Mark(), "'package' must be a mapping with name, version, description, ...");
      return;
    }
    const auto keys = entries(
        node, "'package'", {"name", "version", "description", "author", "license", "tags", "visibility", "resources"});
    if (const auto it = keys.find("name"); it == keys.end()) {
      error(node.Mark(), "package.name is missing: add e.g. 'name: bolted-joint'");
    } else if (const auto name = text(it->second.second, "package.name")) {
      static const std::regex pattern("[a-z][a-z0-9_-]{0,63}");
      if (!std::regex_match(*name, pattern)) {
        std::string suggestion;
        for (const char c : *name) {
          const auto u = static_cast<unsigned char>(c);
          suggestion += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : (c == '_' ? '_' : '-');
        }
        error(it->second.second.Mark(), "package name '" + *name +
                                            "' is not allowed: use 1 to 64 lower-case letters, digits, '-' or '_', "
                                            "starting with a letter (e.g. '" +
                                            suggestion + "')");
      }
      manifest_.name = *name;
    }
    if (const auto it = keys.find("version"); it == keys.end()) {
      error(node.Mark(), "package.version is missing: add e.g. 'version: 1.0.0'");
    } else if (const auto version = text(it->second.second, "package.version")) {
      if (!Semver::parse(*version)) error(it->second.second.Mark(), Semver::problem(*version));
      manifest_.version = *version;
    }
    if (const auto it = keys.find("description"); it != keys.end()) {
      manifest_.description = text(it->second.second, "package.description").value_or("");
    }
    if (const auto it = keys.find("author"); it != keys.end()) {
      manifest_.author = text(it->second.second, "package.author").value_or("");
    }
    if (const auto it = keys.find("license"); it != keys.end()) {
      if (const auto license = text(it->second.second, "package.license")) {
        manifest_.license = *license;
        if (!is_spdx_expression(*license)) {
          std::string message = "license '" + *license + "' is not an SPDX identifier";
          if (const auto near = closest_spdx_id(*license)) message += "; did you mean '" + *near + "'?";
          warning(it->second.second.Mark(), message + " (see https://spdx.org/licenses/)");
        }
      }
    }
    if (const auto it = keys.find("tags"); it != keys.end()) read_tags(it->second.second);
    if (const auto it = keys.find("visibility"); it != keys.end()) {
      if (const auto value = text(it->second.second, "package.visibility")) {
        if (const auto visibility = parse_visibility(*value)) {
          manifest_.visibility = *visibility;
        } else {
          error(it->second.second.Mark(),
                "visibility '" + *value + "' is not one of: private (the default), internal, public");
        }
      }
    }
    if (const auto it = keys.find("resources"); it != keys.end()) {
      manifest_.resources = read_resources(it->second.second, "package.resources");
    }
  }

  void read_tags(const YAML::Node& node) {
    if (!node.IsSequence()) {
      error(node.Mark(), "package.tags must be a list, e.g. tags: [bolts, fasteners]");
      return;
    }
    static const std::regex pattern(R"([^"\\\x00-\x1f]{1,64})");
    for (const auto& tag : node) {
      const auto value = text(tag, "a tag");
      if (!value) continue;
      if (!std::regex_match(*value, pattern)) {
        error(tag.Mark(),
              "tag '" + *value + "' must be 1 to 64 characters without quotes, backslashes or control characters");
        continue;
      }
      manifest_.tags.push_back(*value);
    }
  }

  ResourceRequest read_resources(const YAML::Node& node, const std::string& where) {
    ResourceRequest request;
    if (!node.IsMap()) {
      error(node.Mark(), where + " must be a mapping such as {tier: small} or {cpu: 1, memory_mb: 1024}");
      return request;
    }
    const auto keys = entries(node, where, {"tier", "cpu", "memory_mb", "timeout"});
    if (const auto it = keys.find("tier"); it != keys.end()) {
      if (const auto tier = text(it->second.second, where + ".tier")) {
        if (find_tier(*tier)) {
          request.tier = *tier;
        } else {
          std::vector<std::string> names;
          for (const auto& t : resource_tiers()) names.emplace_back(t.name);
          std::string message = "unknown tier '" + *tier + "'";
          if (const auto near = closest_name(*tier, names)) message += "; did you mean '" + *near + "'?";
          error(it->second.second.Mark(), message + " (tiers: " + join(names) + ")");
        }
      }
    }
    if (const auto it = keys.find("cpu"); it != keys.end()) {
      if (const auto cpus = number(it->second.second, where + ".cpu")) {
        if (*cpus <= 0 || *cpus > 256) {
          error(it->second.second.Mark(), where + ".cpu must be more than 0 (CPUs, e.g. 0.5 or 2)");
        } else {
          request.cpus = *cpus;
        }
      }
    }
    if (const auto it = keys.find("memory_mb"); it != keys.end()) {
      request.memory_mb = positive_integer(it->second.second, where + ".memory_mb", 1u << 20);
    }
    if (const auto it = keys.find("timeout"); it != keys.end()) {
      if (const auto timeout = positive_integer(it->second.second, where + ".timeout (seconds)", 86400)) {
        request.timeout_s = static_cast<std::uint32_t>(*timeout);
      }
    }
    if (keys.contains("tier") && (keys.contains("cpu") || keys.contains("memory_mb"))) {
      error(node.Mark(), where + " gives both a tier and cpu/memory_mb: keep either 'tier' or 'cpu'/'memory_mb'");
    }
    return request;
  }

  void read_runtime(const YAML::Node& node) {
    if (!node.IsMap()) {
      error(node.Mark(), "'runtime' must be a mapping such as {kind: python, version: \"3.11\"}");
      return;
    }
    const auto keys = entries(node, "'runtime'", {"kind", "version", "requirements"});
    if (const auto it = keys.find("kind"); it != keys.end()) {
      if (const auto kind = text(it->second.second, "runtime.kind")) {
        if (*kind == "dockerfile" || *kind == "image") {
          error(it->second.second.Mark(), "runtime kind '" + *kind +
                                              "' is not supported: this server runs Python packages and "
                                              "'entrypoint' commands only; write kind: python");
        } else if (*kind != "python") {
          error(it->second.second.Mark(), "unknown runtime kind '" + *kind + "': write kind: python");
        }
        manifest_.runtime_kind = *kind;
      }
    }
    if (const auto it = keys.find("version"); it != keys.end()) {
      if (const auto version = text(it->second.second, "runtime.version")) {
        static const std::regex pattern("3(\\.[0-9]{1,2})?");
        if (!std::regex_match(*version, pattern)) {
          error(it->second.second.Mark(),
                "runtime.version '" + *version + "' is not a Python 3 version: write e.g. \"3.11\" (quoted)");
        }
        manifest_.runtime_version = *version;
      }
    }
    if (const auto it = keys.find("requirements"); it != keys.end()) {
      manifest_.requirements = boolean(it->second.second, "runtime.requirements").value_or(false);
    }
  }

  void read_quality(const YAML::Node& node) {
    if (!node.IsMap()) {
      error(node.Mark(), "'quality' must be a mapping with validation_testcases");
      return;
    }
    const auto keys = entries(node, "'quality'", {"validation_testcases"});
    const auto it = keys.find("validation_testcases");
    if (it == keys.end()) return;
    const auto& block = it->second.second;
    if (!block.IsMap()) {
      error(block.Mark(), "quality.validation_testcases must be a mapping {on_deployment: true, fail_on_error: true}");
      return;
    }
    const auto flags = entries(block, "quality.validation_testcases", {"on_deployment", "fail_on_error"});
    if (const auto f = flags.find("on_deployment"); f != flags.end()) {
      manifest_.tests_on_deployment = boolean(f->second.second, "on_deployment").value_or(false);
    }
    if (const auto f = flags.find("fail_on_error"); f != flags.end()) {
      manifest_.tests_fail_on_error = boolean(f->second.second, "fail_on_error").value_or(false);
    }
  }

  void read_functions(const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0) {
      error(node.Mark(), "'functions' must map each function's name to its declaration (handler, inputs, ...)");
      return;
    }
    const auto names = entries(node, "'functions'", {});
    for (const auto& entry : node) {
      if (!entry.first.IsScalar() || !names.contains(entry.first.Scalar())) continue;
      if (names.at(entry.first.Scalar()).first.Mark().pos != entry.first.Mark().pos) continue;  // a duplicate
      read_function(entry.first, entry.second);
    }
  }

  void read_function(const YAML::Node& key, const YAML::Node& node) {
    FunctionSpec function;
    function.name = key.Scalar();
    function.at = position_of(key.Mark());
    static const std::regex name_pattern("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    if (!std::regex_match(function.name, name_pattern)) {
      error(key.Mark(), "function name '" + function.name +
                            "' is not allowed: use letters, digits, '_' or '-', starting with a letter");
    }
    const std::string where = "function '" + function.name + "'";
    if (!node.IsMap()) {
      error(node.Mark(), where + " must be a mapping with a handler (module.path:function) or an entrypoint");
      return;
    }
    const auto keys = entries(
        node, where, {"handler", "entrypoint", "description", "inputs", "outputs", "resources", "testcases", "cache"});
    const bool has_handler = keys.contains("handler");
    const bool has_entrypoint = keys.contains("entrypoint");
    if (has_handler == has_entrypoint) {
      error(node.Mark(), where + (has_handler ? " gives both a handler and an entrypoint: keep one"
                                              : " needs a handler such as 'handler: my_module:my_function' "
                                                "(or an entrypoint command)"));
    }
    if (has_handler) {
      const auto& value = keys.at("handler").second;
      if (const auto handler = text(value, where + ".handler")) {
        static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*");
        if (!std::regex_match(*handler, pattern)) {
          error(value.Mark(), "handler '" + *handler +
                                  "' is not of the form module.path:function (e.g. bolted_joint.preload:min_preload)");
        }
        function.handler = *handler;
      }
    }
    if (has_entrypoint) read_entrypoint(keys.at("entrypoint").second, where, function);
    if (const auto it = keys.find("description"); it != keys.end()) {
      function.description = text(it->second.second, where + ".description").value_or("");
    }
    if (const auto it = keys.find("inputs"); it != keys.end()) {
      function.inputs_declared = true;
      function.inputs = read_ports(it->second.second, where, "inputs", function);
    }
    if (const auto it = keys.find("outputs"); it != keys.end()) {
      function.outputs_declared = true;
      function.outputs = read_ports(it->second.second, where, "outputs", function);
    }
    if (const auto it = keys.find("resources"); it != keys.end()) {
      function.resources_requested = read_resources(it->second.second, where + ".resources");
    }
    function.resources = resolve_resources(manifest_.resources, function.resources_requested);
    if (const auto over = exceeds_cap(function.resources, options_.resource_cap)) {
      const auto it = keys.find("resources");
      error(it != keys.end() ? it->second.second.Mark() : key.Mark(),
            where + " " + *over + ": choose a smaller tier or lower values");
    }
    if (const auto it = keys.find("testcases"); it != keys.end()) read_testcases(it->second.second, where, function);
    if (const auto it = keys.find("cache"); it != keys.end()) {
      function.cache = boolean(it->second.second, where + ".cache").value_or(true);
    }
    manifest_.functions.push_back(std::move(function));
  }

  // One path or a list of paths, relative to the package.
  void read_testcases(const YAML::Node& node, const std::string& where, FunctionSpec& function) {
    function.testcases_at = position_of(node.Mark());
    std::vector<YAML::Node> paths;
    if (node.IsSequence()) {
      for (const auto& item : node) paths.push_back(item);
    } else {
      paths.push_back(node);
    }
    for (const auto& item : paths) {
      const auto path = text(item, where + ".testcases");
      if (!path) continue;
      if (path->empty() || path->front() == '/' || path->find("..") != std::string::npos) {
        error(item.Mark(),
              "testcases path '" + *path + "' must be relative to the package, e.g. tests/" + function.name + ".yaml");
        continue;
      }
      function.testcases.push_back(*path);
    }
  }

  void read_entrypoint(const YAML::Node& node, const std::string& where, FunctionSpec& function) {
    if (!node.IsSequence() || node.size() == 0) {
      error(node.Mark(), where + ".entrypoint must be a non-empty list of arguments, e.g. [python3, run.py]");
      return;
    }
    for (const auto& argument : node) {
      if (const auto value = text(argument, where + ".entrypoint argument")) function.entrypoint.push_back(*value);
    }
  }

  std::vector<Port> read_ports(const YAML::Node& node, const std::string& where, const std::string& direction,
                               FunctionSpec& function) {
    std::vector<Port> ports;
    if (node.IsNull()) return ports;
    if (!node.IsMap()) {
      error(node.Mark(), where + "." + direction + " must map each name to {type: ..., ...}");
      return ports;
    }
    const auto names = entries(node, where + "." + direction, {});
    for (const auto& entry : node) {
      if (!entry.first.IsScalar() || !names.contains(entry.first.Scalar())) continue;
      if (names.at(entry.first.Scalar()).first.Mark().pos != entry.first.Mark().pos) continue;
      const std::string& name = entry.first.Scalar();
      if (!std::regex_match(name, identifier_pattern())) {
        error(entry.first.Mark(), direction.substr(0, direction.size() - 1) + " name '" + name +
                                      "' must be a Python identifier (letters, digits, '_')");
        continue;
      }
      function.positions[direction + "." + name] = position_of(entry.first.Mark());
      if (auto port = read_port(name, entry.second, where + "." + direction + "." + name, direction == "outputs")) {
        ports.push_back(std::move(*port));
      }
    }
    return ports;
  }

  // The type of a port or struct field: a type expression, or an inline struct as a
  // mapping (each field a type, a nested mapping, or {type, unit}).
  std::optional<PortType> read_type(const YAML::Node& node, const std::string& where) {
    if (node.IsScalar() && scalar_kind(node) != ScalarKind::null_value) {
      auto parsed = parse_port_type(node.Scalar());
      if (auto* problem = std::get_if<TypeProblem>(&parsed)) {
        YAML::Mark mark = node.Mark();
        const bool quoted = node.Tag() == "!";
        mark.column += static_cast<int>(problem->offset) + (quoted ? 1 : 0);
        error(mark, where + ": " + problem->message);
        return std::nullopt;
      }
      return std::get<PortType>(std::move(parsed));
    }
    if (node.IsMap() && node.size() > 0) {
      if (node["type"] && node["type"].IsScalar()) return read_typed_field(node, where);
      std::vector<StructField> fields;
      const auto names = entries(node, where, {});
      for (const auto& entry : node) {
        if (!entry.first.IsScalar() || !names.contains(entry.first.Scalar())) continue;
        if (names.at(entry.first.Scalar()).first.Mark().pos != entry.first.Mark().pos) continue;
        if (!std::regex_match(entry.first.Scalar(), identifier_pattern())) {
          error(entry.first.Mark(), "field name '" + entry.first.Scalar() + "' must be an identifier");
          return std::nullopt;
        }
        auto type = read_type(entry.second, where + "." + entry.first.Scalar());
        if (!type) return std::nullopt;
        fields.push_back({entry.first.Scalar(), {std::move(*type)}});
      }
      return make_structure(std::move(fields));
    }
    error(node.Mark(), where + ": the type must be a type name such as Force, list[Length] or {F: Force3, M: Moment3}");
    return std::nullopt;
  }

  // A struct field written {type: Length, unit: mm}.
  std::optional<PortType> read_typed_field(const YAML::Node& node, const std::string& where) {
    const auto keys = entries(node, where, {"type", "unit", "description"});
    auto type = read_type(keys.at("type").second, where);
    if (!type) return std::nullopt;
    if (const auto it = keys.find("unit"); it != keys.end()) {
      if (const auto unit = text(it->second.second, where + ".unit")) {
        if (const auto problem = apply_unit(*type, *unit)) {
          error(it->second.second.Mark(), where + ": " + *problem);
          return std::nullopt;
        }
      }
    }
    return type;
  }

  std::optional<Port> read_port(const std::string& name, const YAML::Node& node, const std::string& where,
                                bool is_output) {
    Port port;
    port.name = name;
    if (node.IsScalar()) {  // the short form: `d: Length`
      auto type = read_type(node, where);
      if (!type) return std::nullopt;
      port.type = std::move(*type);
      return port;
    }
    if (!node.IsMap()) {
      error(node.Mark(), where + " must be a mapping such as {type: Force, unit: N}");
      return std::nullopt;
    }
    const auto keys =
        entries(node, where, {"type", "description", "required", "default", "unit", "minimum", "maximum", "enum"});
    const auto type_entry = keys.find("type");
    if (type_entry == keys.end()) {
      error(node.Mark(), where + " has no type: add e.g. 'type: Float' or 'type: Length'");
      return std::nullopt;
    }
    auto type = read_type(type_entry->second.second, where);
    if (!type) return std::nullopt;
    port.type = std::move(*type);
    bool ok = true;
    if (const auto it = keys.find("unit"); it != keys.end()) {
      if (const auto unit = text(it->second.second, where + ".unit")) {
        if (const auto problem = apply_unit(port.type, *unit)) {
          error(it->second.second.Mark(), where + ": " + *problem);
          ok = false;
        }
      }
    }
    if (const auto it = keys.find("description"); it != keys.end()) {
      port.description = text(it->second.second, where + ".description").value_or("");
    }
    if (const auto it = keys.find("required"); it != keys.end()) {
      port.required = boolean(it->second.second, where + ".required").value_or(true);
      if (is_output && !port.required && port.type.kind != TypeKind::file) {
        error(it->second.second.Mark(), where + ": only File outputs may be optional; remove 'required: false'");
        ok = false;
      }
    }
    if (const auto it = keys.find("minimum"); it != keys.end()) port.minimum = number(it->second.second, where);
    if (const auto it = keys.find("maximum"); it != keys.end()) port.maximum = number(it->second.second, where);
    if (port.minimum && port.maximum && *port.minimum > *port.maximum) {
      error(keys.at("maximum").second.Mark(),
            where + ": maximum " + format_double(*port.maximum) + " is below minimum " + format_double(*port.minimum));
      ok = false;
    }
    if ((port.minimum || port.maximum) && !has_numbers(port.type)) {
      error(keys.at(port.minimum ? "minimum" : "maximum").first.Mark(),
            where + ": minimum and maximum apply to numbers only, not to " + port.type.spelling());
      ok = false;
    }
    if (const auto it = keys.find("enum"); it != keys.end()) {
      const auto& list = it->second.second;
      if (!list.IsSequence() || list.size() == 0) {
        error(list.Mark(), where + ".enum must be a non-empty list of allowed values");
        ok = false;
      } else {
        std::vector<YamlProblem> problems;
        const auto values = yaml_to_json(list, problems);
        for (const auto& value : values.as_array()) port.enum_values.push_back(value);
        for (auto& p : problems) error(p.mark, where + ".enum: " + p.message);
      }
    }
    if (const auto it = keys.find("default"); it != keys.end()) {
      if (is_output) {
        error(it->second.first.Mark(), where + ": outputs take no default; remove it");
        ok = false;
      } else {
        ok = read_default(port, it->second.second, where) && ok;
      }
    }
    if (!ok) return std::nullopt;
    if (is_output && port.type.kind != TypeKind::file) port.required = true;
    return port;
  }

  static bool has_numbers(const PortType& type) {
    switch (type.kind) {
      case TypeKind::numeric:
      case TypeKind::integer:
      case TypeKind::float_number:
      case TypeKind::quantity:
        return true;
      case TypeKind::list:
      case TypeKind::dict:
        return !type.elements.empty() && has_numbers(type.elements.front());
      default:
        return false;
    }
  }

  // The default in canonical form ({value, unit} converted), checked against the
  // port's own schema.
  bool read_default(Port& port, const YAML::Node& node, const std::string& where) {
    std::vector<YamlProblem> yaml_problems;
    const auto value = yaml_to_json(node, yaml_problems);
    for (auto& p : yaml_problems) error(p.mark, where + ".default: " + p.message);
    if (!yaml_problems.empty()) return false;
    Port without_default = port;
    boost::json::object given;
    given[port.name] = value;
    std::vector<ValueProblem> problems;
    auto canonical = canonical_inputs({without_default}, given, problems);
    if (problems.empty()) {
      for (const auto& violation : JsonSchema(port_schema(without_default)).validate(canonical[port.name])) {
        problems.push_back({"/" + port.name + violation.pointer, violation.message});
      }
    }
    for (const auto& p : problems) error(node.Mark(), where + ".default: " + p.message);
    if (!problems.empty()) return false;
    port.default_value = canonical[port.name];
    return true;
  }

  const ManifestOptions& options_;
  Manifest manifest_;
  std::vector<ManifestProblem> errors_;
  std::vector<ManifestProblem> warnings_;
};

}  // namespace

ManifestReport parse_manifest(std::string_view text, const ManifestOptions& options) {
  return ManifestReader(options).read(text);
}

}  // namespace mecapy::packages
