// The command-line parser (see command_line.hpp).
#include "main/command_line.hpp"

#include "core/errors.hpp"

namespace mecapy::command_line {

void Parser::option(std::string name, std::string value_name, std::string help, std::string* target) {
  entries_.push_back(Entry{std::move(name), std::move(value_name), std::move(help), target, nullptr, nullptr, *target});
}

void Parser::repeatable(std::string name, std::string value_name, std::string help, std::vector<std::string>* target) {
  entries_.push_back(
      Entry{std::move(name), std::move(value_name), std::move(help) + " (repeatable)", nullptr, target, nullptr, ""});
}

void Parser::flag(std::string name, std::string help, bool* target) {
  entries_.push_back(Entry{std::move(name), "", std::move(help), nullptr, nullptr, target, ""});
}

const Parser::Entry* Parser::find(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return &entry;
  return nullptr;
}

bool Parser::parse(int argc, char** argv, std::vector<std::string>* command) {
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--") {
      command->assign(argv + i + 1, argv + argc);
      return true;
    }
    if (argument == "--help" || argument == "-h") return false;
    if (!argument.starts_with("-") || argument == "-") {
      command->assign(argv + i, argv + argc);
      return true;
    }
    const auto equals = argument.find('=');
    const std::string name = argument.substr(0, equals);
    const Entry* entry = find(name);
    if (!entry) throw ConfigError(name, "unknown option (see --help)");
    if (entry->flag) {
      if (equals != std::string::npos) throw ConfigError(name, "takes no value");
      *entry->flag = true;
      continue;
    }
    std::string value;
    if (equals != std::string::npos)
      value = argument.substr(equals + 1);
    else if (i + 1 < argc)
      value = argv[++i];
    else
      throw ConfigError(name, "expects a value (" + entry->value_name + ")");
    if (entry->values)
      entry->values->push_back(value);
    else
      *entry->value = value;
  }
  command->clear();
  return true;
}

std::string Parser::help(const std::string& program) const {
  std::string text = description_ + "\n\nUsage: " + program + " [OPTIONS] -- COMMAND [ARGS...]\n\nOptions:\n";
  auto line = [&text](std::string left, const std::string& right) {
    left.insert(0, "  ");
    if (left.size() < 28) left.resize(28, ' ');
    text += left + " " + right + "\n";
  };
  for (const auto& entry : entries_)
    line(entry.name + (entry.value_name.empty() ? "" : " " + entry.value_name),
         entry.help + (entry.default_text.empty() ? "" : " [" + entry.default_text + "]"));
  line("--help", "Print this help and exit");
  return text;
}

}  // namespace mecapy::command_line
