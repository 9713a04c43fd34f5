/**
 * The shell scripts `taskwarden completion bash|zsh|fish` prints. Each one only
 * hands the words typed so far to `taskwarden __complete` (complete.ts) and
 * offers what it prints, so the scripts never change when commands do. When
 * nothing comes back (a file argument such as -f's) the shell completes files.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** bash: the words are cut from the line at the cursor (COMP_WORDS would split `task:7` at the colon). */
const BASH = `# taskwarden completion for bash: eval "$(taskwarden completion bash)" in ~/.bashrc
_taskwarden_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  local current="\${words[\${#words[@]}-1]}"
  local IFS=$'\\n'
  local -a candidates
  candidates=($(taskwarden __complete "\${words[@]:1}" 2>/dev/null))
  if [[ \${#candidates[@]} -eq 0 ]]; then
    compopt -o default 2>/dev/null
    COMPREPLY=()
    return 0
  fi
  # bash replaces only what follows the last colon of the word.
  if [[ "$current" == *:* ]]; then
    local prefix="\${current%:*}:"
    candidates=("\${candidates[@]#"$prefix"}")
  fi
  COMPREPLY=("\${candidates[@]}")
}
complete -F _taskwarden_complete taskwarden
`;

const ZSH = `#compdef taskwarden
# taskwarden completion for zsh: eval "$(taskwarden completion zsh)" in ~/.zshrc (after compinit)
_taskwarden() {
  local -a candidates
  candidates=("\${(@f)$(taskwarden __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${#candidates[@]} -eq 0 || -z "\${candidates[1]}" ]]; then
    _files
    return
  fi
  compadd -Q -- "\${candidates[@]}"
}
compdef _taskwarden taskwarden
`;

const FISH = `# taskwarden completion for fish: taskwarden completion fish > ~/.config/fish/completions/taskwarden.fish
function __taskwarden_complete
    set -l words (commandline -opc) (commandline -ct)
    taskwarden __complete $words[2..-1] 2>/dev/null
end
complete -c taskwarden -f -a '(__taskwarden_complete)'
`;

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
    default: {
      const unknown: never = shell;
      return unknown;
    }
  }
}
