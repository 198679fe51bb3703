#!/bin/sh
echo "$GREETING"
cat /app/out.txt
