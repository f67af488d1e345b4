// `mecapy packages ls|show` and `mecapy functions show PKG FN` (docs/packages.md).
// PKG is `owner/name` or a package id; a function's inputs are listed with their
// type, unit, whether they are required or their default, and their bounds.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "cli/context.hpp"
#include "cli/list_options.hpp"
#include "cli/output.hpp"

namespace mecapy::cli {
namespace {

std::string package_path(const std::string& package) { return "/api/v1/packages/" + encode(package); }

std::string full_name(const boost::json::value& package) {
  if (auto name = member_text(package, "full_name"); !name.empty()) return name;
  return member_text(package, "owner") + "/" + member_text(package, "name");
}

const boost::json::value* type_of(const boost::json::value& port) {
  if (!port.is_object()) return nullptr;
  return port.get_object().if_contains("type");
}

std::string type_text(const boost::json::value& port) {
  const auto* type = type_of(port);
  if (!type) return {};
  if (auto spelling = member_text(*type, "spelling"); !spelling.empty()) return spelling;
  return member_text(*type, "kind");
}

std::string unit_text(const boost::json::value& port) {
  const auto* type = type_of(port);
  return type ? member_text(*type, "unit") : std::string();
}

struct PackageListOptions : ListOptions {
  std::string owner;
  std::string search;
};

void list_packages(Context& context, const PackageListOptions& options) {
  ApiClient& api = context.client();
  const boost::json::value answer =
      api.get_json("/api/v1/packages" + list_query(options, {{"owner", options.owner}, {"search", options.search}}));
  if (options.json) return print_json(answer);
  Table table({"package", "version", "visibility", "description"});
  for (const auto& package : answer.at("items").as_array())
    table.add({full_name(package), member_text(package, "latest_version"), member_text(package, "visibility"),
               member_text(package, "description")});
  table.print();
  print_list_footer(answer, "packages");
}

void show_package(Context& context, const std::string& package, bool json) {
  ApiClient& api = context.client();
  const boost::json::value found = api.get_json(package_path(package));
  const boost::json::value functions = api.get_json(package_path(package) + "/functions");
  if (json) {
    boost::json::object out = found.as_object();
    out["functions"] = functions.at("items");
    return print_json(out);
  }
  Table about({"field", "value"});
  about.add({"package", full_name(found)});
  about.add({"id", member_text(found, "id")});
  about.add({"latest version", member_text(found, "latest_version")});
  about.add({"visibility", member_text(found, "visibility")});
  about.add({"description", member_text(found, "description")});
  std::string versions;
  if (const auto* list = found.as_object().if_contains("versions"); list && list->is_array())
    for (const auto& v : list->get_array())
      versions += (versions.empty() ? "" : ", ") + (v.is_object() ? member_text(v, "version") : value_text(v));
  if (!versions.empty()) about.add({"versions", versions});
  about.print();
  std::printf("\nFunctions of %s:\n", member_text(functions, "version").c_str());
  Table table({"function", "description"});
  for (const auto& f : functions.at("items").as_array())
    table.add({member_text(f, "name"), member_text(f, "description")});
  table.print();
}

void show_function(Context& context, const std::string& package, const std::string& function,
                   const std::string& version, bool json) {
  ApiClient& api = context.client();
  std::string path = package_path(package) + "/functions/" + encode(function);
  if (!version.empty()) path += "?version=" + encode(version);
  const boost::json::value found = api.get_json(path);
  if (json) return print_json(found);
  std::printf("%s", (package + " " + function + " (version " + member_text(found, "version") + ")\n").c_str());
  if (const auto description = member_text(found, "description"); !description.empty())
    std::printf("%s\n", description.c_str());
  std::printf("\nInputs:\n");
  Table inputs({"name", "type", "unit", "default", "minimum", "maximum", "description"});
  for (const auto& port : found.at("inputs").as_array()) {
    const auto& o = port.as_object();
    std::string fallback;
    if (const auto* value = o.if_contains("default"))
      fallback = value_text(*value);
    else if (const auto* required = o.if_contains("required"); required && required->is_bool())
      fallback = required->get_bool() ? "(required)" : "(optional)";
    inputs.add({member_text(port, "name"), type_text(port), unit_text(port), fallback,
                value_text(o.if_contains("minimum")), value_text(o.if_contains("maximum")),
                member_text(port, "description")});
  }
  inputs.print();
  std::printf("\nOutputs:\n");
  Table outputs({"name", "type", "unit", "description"});
  for (const auto& port : found.at("outputs").as_array())
    outputs.add({member_text(port, "name"), type_text(port), unit_text(port), member_text(port, "description")});
  outputs.print();
}

}  // namespace

void add_packages_commands(CLI::App& app, Context& context) {
  auto* packages = app.add_subcommand("packages", "List and show calculation packages");
  packages->require_subcommand(1);
  packages->footer("Examples:\n  mecapy packages ls --search bolt\n  mecapy packages show admin/bolted-joint");

  auto list_options = std::make_shared<PackageListOptions>();
  auto* ls = packages->add_subcommand("ls", "The packages you can see");
  ls->add_option("--owner", list_options->owner, "Only this owner's packages");
  ls->add_option("--search,-q", list_options->search, "Only packages whose name or description contains this");
  add_list_options(ls, *list_options, "packages");
  ls->footer("Examples:\n  mecapy packages ls\n  mecapy packages ls --owner admin --json");
  ls->callback([&context, list_options] {
    context.action = [&context, list_options] { list_packages(context, *list_options); };
  });

  auto show_name = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto* show = packages->add_subcommand("show", "One package: its versions and functions");
  show->add_option("package", *show_name, "owner/name or the package's id")->required();
  show->add_flag("--json", *show_json, "Print the package as JSON");
  show->footer("Examples:\n  mecapy packages show admin/bolted-joint");
  show->callback([&context, show_name, show_json] {
    context.action = [&context, show_name, show_json] { show_package(context, *show_name, *show_json); };
  });

  auto* functions = app.add_subcommand("functions", "Show a package's functions");
  functions->require_subcommand(1);
  struct ShowFunction {
    std::string package, function, version;
    bool json = false;
  };
  auto options = std::make_shared<ShowFunction>();
  auto* fn = functions->add_subcommand("show", "A function's inputs (types, units, bounds, defaults) and outputs");
  fn->add_option("package", options->package, "owner/name or the package's id")->required();
  fn->add_option("function", options->function, "The function's name")->required();
  fn->add_option("--version", options->version, "A version of the package (default: the latest)");
  fn->add_flag("--json", options->json, "Print the function as JSON (with its JSON Schemas)");
  fn->footer(
      "Examples:\n  mecapy functions show admin/bolted-joint max_preload\n"
      "  mecapy functions show admin/bolted-joint max_preload --version 1.0.0 --json");
  fn->callback([&context, options] {
    context.action = [&context, options] {
      show_function(context, options->package, options->function, options->version, options->json);
    };
  });
}

}  // namespace mecapy::cli
