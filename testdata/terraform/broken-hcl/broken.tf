resource "netbox_prefix" "ops" {
  prefix = "10.70.0.0/24"
  tags   = ["sensitive"
}

resource "netbox_manufacturer" "hik" {
  name = "Hikvision"
}
