#!/bin/sh
touch "${CAMLINT_MARKER:-/tmp/camlint-dynamic-inventory-ran}"
echo '{"cams": {"hosts": ["cam1"]}}'
