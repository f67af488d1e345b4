"""`mecapy completion bash|zsh`: the script completes subcommands and options by name
at each level, and file names where a command takes paths, as bash itself runs it."""
import subprocess


def complete(cli, tmp_path, *words):
    """What bash offers for the command line `words` (the last one being completed)."""
    script = tmp_path / "mecapy.bash"
    script.write_text(cli.run("completion", "bash", api_url=False).stdout)
    line = " ".join(f"'{w}'" for w in words)
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                           f'source "{script}"; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _mecapy; '
                           'printf "%s\\n" "${COMPREPLY[@]}"'],
                          capture_output=True, text=True, cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    return sorted(filter(None, done.stdout.splitlines()))


def test_subcommands_and_options_complete_at_each_level(offline_cli, tmp_path):
    assert complete(offline_cli, tmp_path, "mecapy", "fi") == ["files"]
    assert complete(offline_cli, tmp_path, "mecapy", "jobs", "") == ["--help", "-h", "cancel", "download", "logs", "ls", "show"]
    assert complete(offline_cli, tmp_path, "mecapy", "jobs", "logs", "--f") == ["--follow"]
    assert complete(offline_cli, tmp_path, "mecapy", "--api-url", "http://x", "run", "--input-") == ["--input-file"]


def test_paths_complete_as_file_names(offline_cli, tmp_path):
    (tmp_path / "part.csv").write_text("x\n")
    assert complete(offline_cli, tmp_path, "mecapy", "files", "upload", "pa") == ["part.csv"]
    assert complete(offline_cli, tmp_path, "mecapy", "jobs", "show", "pa") == []  # a job id is not a file


def test_zsh_gets_the_script_through_bashcompinit(offline_cli):
    done = offline_cli.run("completion", "zsh", api_url=False)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1] == "autoload -U +X bashcompinit && bashcompinit"
    assert "complete -o filenames -F _mecapy mecapy" in done.stdout
    assert offline_cli.run("completion", "fish", api_url=False).returncode == 2
