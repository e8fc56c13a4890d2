# Prints the words zsh's completion offers for the command line $2, with the completion script $1
# loaded, non-interactively: an interactive zsh on a pseudo-terminal (zpty) is sent the line and a
# Tab, and compadd is wrapped to write each word it is given to $3.
zmodload zsh/zpty
script=$1 line=$2 hits=$3
zpty z zsh -f -i
zpty -w z 'PS1=""; autoload -U compinit; compinit -u -D'
zpty -w z "source ${(q)script}"
zpty -w z "compadd() { builtin compadd -O __hits \"\$@\"; print -l -- \"\${__hits[@]}\" >> ${(q)hits}; builtin compadd \"\$@\"; }"
zpty -w z "print -- ready >> ${(q)hits}.ready"
for i in {1..100}; do [[ -s $hits.ready ]] && break; sleep 0.05; done
zpty -w -n z "$line"$'\t'
for i in {1..100}; do [[ -s $hits ]] && break; sleep 0.05; done
sleep 0.3
zpty -d z
