resource "netbox_prefix" "ops" {
  prefix      = "10.20.1.0/24"
  description = "Operations cameras"
  status      = "active"
  tags        = ["sensitive"]
}
