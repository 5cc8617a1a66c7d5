# fish completion for taxon's programs: every long option from the program's
# own --help, and the fields of taxon-query's query language.

function __taxon_options
    $argv[1] --help 2>/dev/null | string match -ar -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u | string replace -- '--' ''
end

for prog in taxon-index taxon-query taxon-serve
    for opt in (__taxon_options $prog)
        complete -c $prog -l $opt
    end
end
complete -c taxon-query -l format -x -a 'text json tsv text0'
complete -c taxon-query -l output -x -a 'hits files'
complete -c taxon-query -l group -x -a 'none page branch'
complete -c taxon-query -f -a 'label: keywords: category: tag: page: lang: level: under:'
