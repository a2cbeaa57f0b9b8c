#!/bin/sh
# Copies the browser libraries the web UI uses from node_modules into web/vendor/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p web/vendor
if [ -f node_modules/echarts/dist/echarts.esm.min.js ]; then
	cp -p node_modules/echarts/dist/echarts.esm.min.js web/vendor/echarts.esm.min.js
fi
