// `mecapy completion bash|zsh`: prints a completion script made from the command tree
// itself (every subcommand and option CLI11 knows), so that it never disagrees with
// the binary. Subcommands and options complete by name; a command whose positional
// arguments are paths (files upload, deploy) also completes file names. The zsh script is the bash one
// under zsh's bashcompinit.
//   bash:  source <(mecapy completion bash)     zsh:  source <(mecapy completion zsh)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace mecapy::cli {
namespace {

struct Node {
  std::string path;  // "mecapy files upload"
  std::vector<std::string> words;
  bool files = false;
};

void collect(const CLI::App& app, const std::string& path, std::vector<Node>& nodes) {
  Node node{path, {}, false};
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    node.words.push_back(sub->get_name());
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() && option->get_lnames().empty() && option->get_snames().empty()) {
      const std::string& name = option->get_name();
      if (name == "path" || name == "paths") node.files = true;  // not ids, not names
      continue;
    }
    for (const auto& name : option->get_lnames()) node.words.push_back("--" + name);
    for (const auto& name : option->get_snames()) node.words.push_back("-" + name);
  }
  nodes.push_back(node);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    collect(*sub, path + " " + sub->get_name(), nodes);
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string bash_script(const CLI::App& app) {
  std::vector<Node> nodes;
  collect(app, "mecapy", nodes);
  std::string known;
  for (const auto& node : nodes)
    if (node.path != "mecapy") known += (known.empty() ? "" : "|") + ("\"" + node.path + "\"");
  std::string script =
      "# bash completion for mecapy (made by `mecapy completion bash`)\n"
      "_mecapy() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"mecapy\" i word words=\"\" files=0\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=\"${COMP_WORDS[i]}\"\n"
      "    case \"$path $word\" in\n"
      "      " +
      known +
      ") path=\"$path $word\" ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$path\" in\n";
  for (const auto& node : nodes)
    script +=
        "    \"" + node.path + "\") words=\"" + join(node.words) + "\"" + (node.files ? "; files=1" : "") + " ;;\n";
  script +=
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "  if ((files)) && [[ \"$cur\" != -* ]]; then COMPREPLY+=($(compgen -f -- \"$cur\")); fi\n"
      "}\n"
      "complete -o filenames -F _mecapy mecapy\n";
  return script;
}

}  // namespace

void add_completion_command(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* command = app.add_subcommand("completion", "Print a shell completion script (bash or zsh)");
  command->add_option("shell", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  command->footer(
      "Examples:\n  source <(mecapy completion bash)            # in ~/.bashrc\n"
      "  source <(mecapy completion zsh)             # in ~/.zshrc");
  command->callback([&app, &context, shell] {
    context.action = [&app, shell] {
      const std::string script = bash_script(app);
      if (*shell == "zsh")
        std::fputs(("# zsh completion for mecapy, through bashcompinit\n"
                    "autoload -U +X bashcompinit && bashcompinit\n" +
                    script)
                       .c_str(),
                   stdout);
      else
        std::fputs(script.c_str(), stdout);
    };
  });
}

}  // namespace mecapy::cli
