resource "routeros_ip_dhcp_server_lease" "cam" {
  address     = "10.90.4.7"
  mac_address = "BC:AD:28:11:22:33"
  comment     = "control room Hikvision dome"
}
