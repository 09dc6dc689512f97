#!/bin/sh
touch "${TMPDIR:-/tmp}/camlint-dynamic-inventory-ran"
echo '{"cams": {"hosts": ["cam1"]}}'
