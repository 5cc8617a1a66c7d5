# bash completion for taxon-index, taxon-query and taxon-serve.
# Options come from the program's own --help, so they never fall behind it;
# query words that start a field (cat -> category:) complete to the field.

_taxon_options() {
  "$1" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' |
    sed -E 's/^[ ,]+//' | sort -u
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
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_taxon_options "$prog")" -- "$cur"))
    return
  fi
  case ${prog##*/} in
    taxon-query)
      # Fields of the query language (docs/query-syntax.md).
      COMPREPLY=($(compgen -W "label: keywords: category: tag: page: lang: level: under:" \
        -- "$cur"))
      compopt -o nospace 2>/dev/null || true ;;
    *)
      COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

complete -F _taxon taxon-index taxon-query taxon-serve
