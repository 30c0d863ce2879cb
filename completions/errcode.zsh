#compdef errcode

_errcode_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _ERRCODE_COMPLETE=complete_zsh errcode)
}

compdef _errcode_completion errcode
