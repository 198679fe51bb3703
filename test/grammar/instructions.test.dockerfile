# SYNTAX TEST "source.dockerfile" "instructions, flags, strings, variables, exec form vs shell form"
FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
# <---- keyword.other.special-method.dockerfile
#   ^ meta.instruction.from.dockerfile - meta.flag.dockerfile
#    ^^ variable.parameter.flag.dockerfile punctuation.definition.flag.dockerfile
#      ^^^^^^^^ variable.parameter.flag.dockerfile
#              ^ meta.flag.dockerfile keyword.operator.assignment.dockerfile
#               ^ variable.other.normal.dockerfile punctuation.definition.variable.dockerfile
#                ^^^^^^^^^^^^^ meta.flag.dockerfile variable.other.normal.dockerfile
#                              ^^^^^^ meta.image-reference.dockerfile entity.name.type.image.dockerfile
#                                    ^ punctuation.separator.tag.dockerfile
#                                     ^^^^^^^^^^^ constant.other.tag.dockerfile
#                                                 ^^ keyword.control.as.dockerfile
#                                                    ^^^^^ entity.name.type.stage.dockerfile
from localhost:5000/team/app:${TAG:-latest}@sha256:0123abcd as second
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.image.dockerfile - constant.other.tag.dockerfile
#                           ^ punctuation.separator.tag.dockerfile
#                              ^^^ constant.other.tag.dockerfile variable.other.dockerfile
#                                          ^ punctuation.separator.digest.dockerfile
#                                           ^^^^^^^^^^^^^^^ constant.other.digest.dockerfile
#                                                           ^^ keyword.control.as.dockerfile
#                                                              ^^^^^^ entity.name.type.stage.dockerfile
Run echo lower and mixed case
# <--- keyword.other.special-method.dockerfile
#   ^^^^^^^^^^^^^^^^^^^^^^^^^ meta.instruction.run.dockerfile - keyword.other.special-method.dockerfile
RUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none go build ./...
#   ^^^^^^^ variable.parameter.flag.dockerfile
#          ^ keyword.operator.assignment.dockerfile
#           ^^^^ entity.other.attribute-name.dockerfile
#               ^ keyword.operator.assignment.dockerfile
#                ^^^^^ string.unquoted.value.dockerfile
#                     ^ punctuation.separator.comma.dockerfile
#                      ^^^^^^ entity.other.attribute-name.dockerfile
#                             ^^^^^^^^^^^^ string.unquoted.value.dockerfile
#                                          ^^^^^^^ entity.other.attribute-name.dockerfile
#                                                  ^^^^^^ string.unquoted.value.dockerfile
#                                                         ^^^^^^^^^ variable.parameter.flag.dockerfile
#                                                                        ^^^^^^^^^^^^^ - meta.flag.dockerfile variable.parameter.flag.dockerfile
RUN apt-get install --no-install-recommends -y curl
#                   ^^^^^^^^^^^^^^^^^^^^^^^ - variable.parameter.flag.dockerfile
RUN set -eux; \
#           ^ punctuation.separator.statement.dockerfile
#             ^ constant.character.escape.line-continuation.dockerfile
    # a comment line inside a continued instruction
#   ^ comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
#     ^^^^^^^ meta.instruction.run.dockerfile comment.line.number-sign.dockerfile

    make && make install || echo "failed: $? in ${PWD}" | tee log; \
#   ^^^^ meta.instruction.run.dockerfile
#        ^^ keyword.operator.logical.dockerfile
#                        ^^ keyword.operator.logical.dockerfile
#                                ^ string.quoted.double.dockerfile punctuation.definition.string.begin.dockerfile
#                                         ^^ string.quoted.double.dockerfile variable.other.special.dockerfile
#                                               ^^ variable.other.bracket.dockerfile punctuation.definition.variable.begin.dockerfile
#                                                 ^^^ variable.other.dockerfile
#                                                    ^ punctuation.definition.variable.end.dockerfile
#                                                     ^ punctuation.definition.string.end.dockerfile
#                                                       ^ keyword.operator.pipe.dockerfile
#                                                                  ^ constant.character.escape.line-continuation.dockerfile
    echo 'single $NOT ${EXPANDED}' "esc \" \$HOME" done
#        ^ string.quoted.single.dockerfile punctuation.definition.string.begin.dockerfile
#                ^^^^ string.quoted.single.dockerfile - variable.other.normal.dockerfile
#                     ^^^^^^^^^^^ string.quoted.single.dockerfile - variable.other.bracket.dockerfile
#                                ^ punctuation.definition.string.end.dockerfile
#                                       ^^ string.quoted.double.dockerfile constant.character.escape.dockerfile
#                                          ^^ constant.character.escape.dockerfile
#                                            ^^^^ string.quoted.double.dockerfile - variable.other.normal.dockerfile
#                                                  ^^^^ meta.instruction.run.dockerfile - string.quoted.double.dockerfile string.quoted.single.dockerfile
FROM scratch
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^ entity.name.type.image.dockerfile
ENV PATH=/opt/bin:$PATH DEBUG="${DEBUG:-${VERBOSE:-0}}" EMPTY=
# <--- keyword.other.special-method.dockerfile
#   ^^^^ meta.instruction.env.dockerfile variable.other.assignment.dockerfile
#       ^ keyword.operator.assignment.dockerfile
#                 ^ variable.other.normal.dockerfile punctuation.definition.variable.dockerfile
#                  ^^^^ variable.other.normal.dockerfile
#                       ^^^^^ variable.other.assignment.dockerfile
#                              ^^ string.quoted.double.dockerfile variable.other.bracket.dockerfile punctuation.definition.variable.begin.dockerfile
#                                ^^^^^ variable.other.bracket.dockerfile variable.other.dockerfile
#                                     ^^ variable.other.bracket.dockerfile keyword.operator.expansion.dockerfile
#                                       ^^ variable.other.bracket.dockerfile variable.other.bracket.dockerfile punctuation.definition.variable.begin.dockerfile
#                                         ^^^^^^^ variable.other.bracket.dockerfile variable.other.bracket.dockerfile variable.other.dockerfile
#                                                ^^ variable.other.bracket.dockerfile variable.other.bracket.dockerfile keyword.operator.expansion.dockerfile
#                                                  ^ variable.other.bracket.dockerfile variable.other.bracket.dockerfile - variable.other.dockerfile
#                                                   ^ variable.other.bracket.dockerfile variable.other.bracket.dockerfile punctuation.definition.variable.end.dockerfile
#                                                    ^ string.quoted.double.dockerfile variable.other.bracket.dockerfile punctuation.definition.variable.end.dockerfile
#                                                     ^ string.quoted.double.dockerfile punctuation.definition.string.end.dockerfile - variable.other.bracket.dockerfile
#                                                       ^^^^^ variable.other.assignment.dockerfile
ENV LEGACY_FORM value with spaces
#   ^^^^^^^^^^^ variable.other.assignment.dockerfile
#               ^^^^^^^^^^^^^^^^^ meta.instruction.env.dockerfile - variable.other.assignment.dockerfile
arg VERSION=1.0 NO_DEFAULT
# <--- keyword.other.special-method.dockerfile
#   ^^^^^^^ variable.other.assignment.dockerfile
#          ^ keyword.operator.assignment.dockerfile
#           ^^^ - variable.other.assignment.dockerfile
#               ^^^^^^^^^^ variable.other.assignment.dockerfile
LABEL "com.example.vendor"="ACME" version=1.0
#     ^^^^^^^^^^^^^^^^^^^^ string.quoted.double.dockerfile
#                         ^ keyword.operator.assignment.dockerfile
#                                 ^^^^^^^ entity.other.attribute-name.label.dockerfile
EXPOSE 80/tcp 443 8000-8010/udp
#      ^^ constant.numeric.port.dockerfile
#        ^ punctuation.separator.protocol.dockerfile
#         ^^^ constant.language.protocol.dockerfile
#             ^^^ constant.numeric.port.dockerfile
#                 ^^^^^^^^^ constant.numeric.port.dockerfile
STOPSIGNAL SIGTERM
# <---------- keyword.other.special-method.dockerfile
#          ^^^^^^^ constant.language.signal.dockerfile
USER app:app
# <---- keyword.other.special-method.dockerfile
WORKDIR /srv/${APP}
# <------- keyword.other.special-method.dockerfile
#            ^^ punctuation.definition.variable.begin.dockerfile
VOLUME ["/data", "$LOGS"]
# <------ keyword.other.special-method.dockerfile
#      ^ meta.array.json.dockerfile punctuation.definition.array.begin.dockerfile
#                 ^^^^^ meta.array.json.dockerfile string.quoted.double.dockerfile variable.other.normal.dockerfile
COPY --from=build --chown=app:app --link /out/app /usr/local/bin/
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^ variable.parameter.flag.dockerfile
#           ^^^^^ string.unquoted.value.dockerfile
#                 ^^^^^^^ variable.parameter.flag.dockerfile
#                                 ^^^^^^ variable.parameter.flag.dockerfile
#                                        ^^^^^^^^ - meta.flag.dockerfile
ADD --keep-git-dir=true https://example.com/repo.git /src
# <--- keyword.other.special-method.dockerfile
#                  ^^^^ constant.language.boolean.dockerfile
CMD ["/usr/local/bin/app", "--port", "8080", "say \"hi\" $NOT_EXPANDED"]
# <--- keyword.other.special-method.dockerfile
#   ^ meta.array.json.dockerfile punctuation.definition.array.begin.dockerfile
#    ^ meta.array.json.dockerfile string.quoted.double.dockerfile punctuation.definition.string.begin.dockerfile
#                        ^ punctuation.separator.array.dockerfile
#                          ^^^^^^^^ meta.array.json.dockerfile string.quoted.double.dockerfile - variable.parameter.flag.dockerfile
#                                                 ^^ constant.character.escape.dockerfile
#                                                        ^^^^^^^^^^^^^ string.quoted.double.dockerfile - variable.other.normal.dockerfile
#                                                                      ^ punctuation.definition.array.end.dockerfile
CMD /usr/local/bin/app --port "8080" $PORT
#   ^^^^^^^^^^^^^^^^^^^^^^^^^ meta.instruction.cmd.dockerfile - meta.array.json.dockerfile
#                             ^^^^^^ string.quoted.double.dockerfile - meta.array.json.dockerfile
#                                    ^^^^^ variable.other.normal.dockerfile
entrypoint ["tini", "--", \
# <---------- keyword.other.special-method.dockerfile
#                         ^ meta.array.json.dockerfile constant.character.escape.line-continuation.dockerfile
    "app", oops]
#   ^^^^^ meta.array.json.dockerfile string.quoted.double.dockerfile
#          ^^^^ meta.array.json.dockerfile invalid.illegal.json.dockerfile
#              ^ punctuation.definition.array.end.dockerfile
RUN [ -f /etc/os-release ] && [ "$ID" = debian ]
#   ^ - meta.array.json.dockerfile
#                               ^^^^^ string.quoted.double.dockerfile - meta.array.json.dockerfile
ENTRYPOINT ['single', 'quotes']
#           ^^^^^^^^ string.quoted.single.dockerfile - meta.array.json.dockerfile
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
# <----- keyword.other.special-method.dockerfile
#                                ^^^^^^^^^^^^^^^^^^^^^^^ meta.array.json.dockerfile string.quoted.double.dockerfile - variable.other.normal.dockerfile
RUN --network=none ["/bin/true"]
#   ^^^^^^^^^ variable.parameter.flag.dockerfile
#                  ^ meta.array.json.dockerfile punctuation.definition.array.begin.dockerfile
#                   ^^^^^^^^^^^ meta.array.json.dockerfile string.quoted.double.dockerfile
HEALTHCHECK --interval=30s --retries=3 CMD ["curl", "-f", "http://localhost/"]
# <----------- keyword.other.special-method.dockerfile
#           ^^^^^^^^^^ variable.parameter.flag.dockerfile
#                      ^^^ string.unquoted.value.dockerfile
#                                      ^^^ keyword.other.special-method.dockerfile
#                                          ^ meta.array.json.dockerfile punctuation.definition.array.begin.dockerfile
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
#           ^^^ keyword.other.special-method.dockerfile
#                    ^^ - variable.parameter.flag.dockerfile
#                                         ^^ keyword.operator.logical.dockerfile
HEALTHCHECK NONE
#           ^^^^ constant.language.none.dockerfile
ONBUILD RUN echo "$HOME"
# <------- keyword.other.special-method.dockerfile
#      ^ meta.instruction.run.dockerfile - keyword.other.special-method.dockerfile
#       ^^^ meta.instruction.run.dockerfile keyword.other.special-method.dockerfile
#                 ^^^^^ variable.other.normal.dockerfile
onbuild copy --from=build /out /app
# <------- keyword.other.special-method.dockerfile
#       ^^^^ keyword.other.special-method.dockerfile
#            ^^^^^^ variable.parameter.flag.dockerfile
ONBUILD
# <------- meta.instruction.onbuild.dockerfile keyword.other.special-method.dockerfile
RUNNER is not an instruction
# <------ - keyword.other.special-method.dockerfile meta.instruction
  # indented comment
# ^ comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
#   ^^^^^^^^ comment.line.number-sign.dockerfile
# syntax=docker/dockerfile:1 is only a directive at the top of the file
# <- comment.line.number-sign.dockerfile - meta.preprocessor.directive.dockerfile
# ^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.dockerfile
RUN echo trailing backslash \\
#                           ^ - constant.character.escape.line-continuation.dockerfile
#                            ^ constant.character.escape.line-continuation.dockerfile
RUN echo this line continues the previous RUN
# <--- meta.instruction.run.dockerfile - keyword.other.special-method.dockerfile
COPY a b
# <---- keyword.other.special-method.dockerfile
RUN echo `date` \
#        ^ - constant.character.escape.line-continuation.dockerfile
#               ^ constant.character.escape.line-continuation.dockerfile
    && echo done
#      ^^^^ meta.instruction.run.dockerfile
RUN printf 'no \escape in single quotes' "\t escaped" a\ b
#              ^^ string.quoted.single.dockerfile - constant.character.escape.dockerfile
#                                         ^^ string.quoted.double.dockerfile constant.character.escape.dockerfile
#                                                      ^^ meta.instruction.run.dockerfile constant.character.escape.dockerfile
