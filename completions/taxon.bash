# bash completion for taxon-index, taxon-query and taxon-serve.
# Options come from the program's own --help, so they never fall behind it;
# query words come from the index itself (taxon-query --complete): field
# names, then category:, tag:, lang:, level: and under: values, then words.

_taxon_options() {
  "$1" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' |
    sed -E 's/^[ ,]+//' | sort -u
}

# The query word under the cursor, whole: bash splits words at ':' and '"'
# too (COMP_WORDBREAKS), and a quoted label may hold spaces.
_taxon_query_word() {
  local line=${COMP_LINE:0:COMP_POINT} word= quoted= c i
  [[ -n $COMP_LINE ]] || { printf '%s' "${COMP_WORDS[COMP_CWORD]}"; return; }
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == '"' ]]; then
      [[ -n $quoted ]] && quoted= || quoted=1
      word+=$c
    elif [[ -z $quoted && $c == [[:space:]] ]]; then
      word=
    else
      word+=$c
    fi
  done
  printf '%s' "$word"
}

_taxon() {
  local cur prev prog
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  prog=${COMP_WORDS[0]}
  case $prev in
    --db | --synonyms | -o)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --format)
      COMPREPLY=($(compgen -W "text json tsv text0" -- "$cur"))
      return ;;
    --output)
      COMPREPLY=($(compgen -W "hits files" -- "$cur"))
      return ;;
    --group)
      COMPREPLY=($(compgen -W "none page branch" -- "$cur"))
      return ;;
    --color | --colour)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return ;;
  esac
  if [[ $cur == -* && $cur != -*[:\"]* && ${prog##*/} != taxon-query || $cur == --* ]]; then
    COMPREPLY=($(compgen -W "$(_taxon_options "$prog")" -- "$cur"))
    return
  fi
  case ${prog##*/} in
    taxon-query)
      local word db= i strip line
      word=$(_taxon_query_word)
      # The index the command line names, if it does.
      for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == --db ]] && db=${COMP_WORDS[i + 1]}
      done
      # bash replaces only the part after the last ':', '"', "'" or '='.
      strip=${word%[:\"\'=]*}
      [[ $strip == "$word" ]] && strip=0 || strip=$((${#strip} + 1))
      COMPREPLY=()
      while IFS= read -r line; do
        COMPREPLY+=("${line:strip}")
      done < <("$prog" ${db:+--db "$db"} --complete "$word" 2>/dev/null)
      # A field name or an open quote goes on being typed.
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} != *: ]] ||
        compopt -o nospace 2>/dev/null || true ;;
    *)
      COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

complete -F _taxon taxon-index taxon-query taxon-serve
