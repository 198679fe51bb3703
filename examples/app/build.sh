#!/bin/sh
# Stands in for a compile step: writes a small artefact.
echo "built at build time"
