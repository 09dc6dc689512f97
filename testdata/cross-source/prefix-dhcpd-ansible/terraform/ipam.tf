resource "netbox_prefix" "vault" {
  prefix      = "10.77.3.0/24"
  description = "Vault annex"
  tags        = ["sensitive"]
}
