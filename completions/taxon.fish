# fish completion for taxon's programs: every long option from the program's
# own --help, and taxon-query's query words from the index itself
# (taxon-query --complete): field names, then category:, tag:, lang:, level:
# and under: values, then words.

function __taxon_options
    command -q $argv[1]; or return
    $argv[1] --help 2>/dev/null | string match -ar -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u | string replace -- '--' ''
end

function __taxon_query_words
    set -l cmd (commandline -opc)
    set -l db
    set -l i (contains -i -- --db $cmd)
    and set db --db $cmd[(math $i + 1)]
    $cmd[1] $db --complete (commandline -ct) 2>/dev/null
end

for prog in taxon-index taxon-query taxon-serve
    for opt in (__taxon_options $prog)
        complete -c $prog -l $opt
    end
end
complete -c taxon-query -l format -x -a 'text json tsv text0'
complete -c taxon-query -l output -x -a 'hits files'
complete -c taxon-query -l group -x -a 'none page branch'
complete -c taxon-query -f -a '(__taxon_query_words)'
