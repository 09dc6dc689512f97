#!/bin/sh
# Seeds fuzz corpora from the fixtures (corpora are not committed).
set -e
cd "$(dirname "$0")/.."
seed() { t=$1; shift; mkdir -p fuzz/corpus/$t; for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$t/$(echo "$f" | tr / _)"; done; return 0; }
seed hcl_native $(find testdata -name '*.tf' -o -name '*.tfvars' | grep -v binary | head -40)
seed terraform_json $(find testdata -name '*.tf.json' -o -name '*.tfvars.json')
seed terraform_plan $(grep -rl '"format_version"' testdata | head -5)
seed yaml_loader $(find testdata -name '*.yml' -o -name '*.yaml' | head -40)
seed ansible_yaml $(find testdata -name '*.yml' -o -name '*.yaml' | head -40)
seed ansible_ini testdata/ansible/*/hosts testdata/ansible/*/hosts.ini testdata/ansible/*/inventory testdata/demo/ansible/hosts.ini testdata/ansible/dynamic_script/inventory/static.ini
seed ios $(find testdata -name '*.cfg')
seed junos_set testdata/netconf/junos-set/ex-acc-01.conf
seed junos_curly testdata/netconf/junos-curly/ex-acc-02.conf
seed dhcpd $(find testdata -name 'dhcpd.conf')
seed kea testdata/netconf/kea-dhcp4/kea-dhcp4.conf testdata/suppressions/kea-slashes/kea.conf
seed netbox_json $(grep -rl '"results"' testdata --include=*.json | head -5)
seed dnsmasq testdata/netconf/dnsmasq/dnsmasq.conf
seed csv $(find testdata -name '*.csv')
seed policy policies/*.hcl $(find testdata -name '.camlint.hcl' | head -10)
seed suppress $(find testdata/suppressions -type f)
# Formats without a fixture of their own get a small hand-written seed.
printf '{"format_version":"1.2","terraform_version":"1.9.0","values":{"root_module":{"resources":[{"address":"netbox_device.cam","type":"netbox_device","name":"cam","values":{"name":"cam1","serial":"x","tags":["secure"]}}]}}}' > fuzz/corpus/terraform_plan/seed.json
printf '{"count":1,"results":[{"name":"cam-01","device_type":{"manufacturer":{"name":"Hikvision"},"model":"DS-2CD"},"primary_ip4":{"address":"10.0.0.5/24"},"tags":[{"name":"secure"}]}]}' > fuzz/corpus/netbox_json/seed.json
