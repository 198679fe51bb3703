# SYNTAX TEST "source.dockerfile" "heredocs: openers, embedded shell body, end detection, back to Dockerfile scopes"
FROM debian:12-slim
RUN <<EOF
# <--- keyword.other.special-method.dockerfile
#   ^^ meta.heredoc.shell.dockerfile keyword.operator.heredoc.dockerfile
#     ^^^ meta.heredoc.shell.dockerfile keyword.control.heredoc-token.dockerfile
#!/bin/sh
# <-- meta.heredoc.shell.dockerfile meta.embedded.block.shell source.shell comment.line.number-sign.shell - comment.line.number-sign.dockerfile
set -eu
# <--- meta.embedded.block.shell source.shell - keyword.other.special-method.dockerfile
if [ -f /etc/os-release ]; then
# <-- meta.embedded.block.shell source.shell keyword.control.if.shell
  echo "an unterminated shell string
# ^^^^ meta.embedded.block.shell source.shell
RUN this is shell text, not an instruction
# <--- meta.embedded.block.shell - keyword.other.special-method.dockerfile
 EOF
#^^^ meta.embedded.block.shell - keyword.control.heredoc-token.dockerfile
EOF 
# <--- meta.embedded.block.shell - keyword.control.heredoc-token.dockerfile
	EOF
#^^^ meta.embedded.block.shell - keyword.control.heredoc-token.dockerfile
EOF
# <--- meta.instruction.run.dockerfile meta.heredoc.shell.dockerfile keyword.control.heredoc-token.dockerfile - meta.embedded.block.shell source.shell string.quoted.double.shell
ENV AFTER=1
# <--- meta.instruction.env.dockerfile keyword.other.special-method.dockerfile - meta.heredoc.shell.dockerfile meta.embedded.block.shell
#   ^^^^^ variable.other.assignment.dockerfile
RUN --mount=type=secret,id=npmrc <<-'SCRIPT' bash -e \
#   ^^^^^^^ variable.parameter.flag.dockerfile
#                                ^^^ meta.heredoc.shell.dockerfile keyword.operator.heredoc.dockerfile
#                                   ^ punctuation.definition.string.begin.dockerfile
#                                    ^^^^^^ keyword.control.heredoc-token.dockerfile
#                                          ^ punctuation.definition.string.end.dockerfile
#                                            ^^^^^^^ meta.heredoc.shell.dockerfile - meta.embedded.block.shell keyword.control.heredoc-token.dockerfile
#                                                    ^ constant.character.escape.line-continuation.dockerfile
    -x "$FLAGS"
#   ^^ meta.heredoc.shell.dockerfile - meta.embedded.block.shell
#       ^^^^^^ variable.other.normal.dockerfile - source.shell
	echo "$HOME"
#^^^^ meta.embedded.block.shell source.shell - meta.instruction.env.dockerfile
  SCRIPT
# ^^^^^^ meta.embedded.block.shell - keyword.control.heredoc-token.dockerfile
		SCRIPT
# ^^^^^^ meta.heredoc.shell.dockerfile keyword.control.heredoc-token.dockerfile - meta.embedded.block.shell
copy --chmod=0644 <<"CONF" /etc/app/app.conf
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^ variable.parameter.flag.dockerfile
#                 ^^ meta.heredoc.file.dockerfile keyword.operator.heredoc.dockerfile
#                    ^^^^ keyword.control.heredoc-token.dockerfile
#                          ^^^^^^^^^^^^^^^^^ meta.heredoc.file.dockerfile - string.unquoted.heredoc.dockerfile
listen = ${PORT}
# <------ meta.heredoc.file.dockerfile string.unquoted.heredoc.dockerfile - source.shell
#        ^^^^^^^ string.unquoted.heredoc.dockerfile - variable.other.bracket.dockerfile
FROM not-an-instruction
# <---- string.unquoted.heredoc.dockerfile - keyword.other.special-method.dockerfile
CONF
# <---- meta.heredoc.file.dockerfile keyword.control.heredoc-token.dockerfile - string.unquoted.heredoc.dockerfile
run 3<<eof cat /proc/self/fd/3 <<EOF2
# <--- keyword.other.special-method.dockerfile
#   ^ constant.numeric.file-descriptor.dockerfile
#      ^^^ keyword.control.heredoc-token.dockerfile
#                              ^^ keyword.operator.heredoc.dockerfile
#                                ^^^^ keyword.control.heredoc-token.dockerfile
EOF
# <--- meta.embedded.block.shell - keyword.control.heredoc-token.dockerfile
eof
# <--- keyword.control.heredoc-token.dockerfile
ONBUILD RUN <<EOF
# <------- keyword.other.special-method.dockerfile
#       ^^^ keyword.other.special-method.dockerfile
#             ^^^ keyword.control.heredoc-token.dockerfile
echo onbuild
# <---- meta.embedded.block.shell
EOF
# <--- keyword.control.heredoc-token.dockerfile
RUN cat<<EOF
#      ^^ - keyword.operator.heredoc.dockerfile
ENV NOT_A_BODY=1
# <--- keyword.other.special-method.dockerfile - meta.embedded.block.shell
LABEL x=<<EOF
#       ^^ - keyword.operator.heredoc.dockerfile
WORKDIR /app
# <------- keyword.other.special-method.dockerfile
