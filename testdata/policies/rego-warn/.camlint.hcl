settings {
  rego_namespaces = ["camlint.estate"]
}
