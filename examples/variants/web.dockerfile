FROM busybox
EXPOSE 8080/tcp
CMD ["httpd", "-f", "-p", "8080"]
