# SYNTAX TEST "source.dockerfile" "# escape=` switches continuations and escapes to the backtick"
# syntax=docker/dockerfile:1
# ^^^^^^ keyword.control.directive.dockerfile - meta.escape-mode.backtick.dockerfile
# escape=`
# ^^^^^^ meta.preprocessor.directive.dockerfile keyword.control.directive.dockerfile
#        ^ string.unquoted.directive-value.dockerfile
# check=skip=all
# ^^^^^ meta.escape-mode.backtick.dockerfile meta.preprocessor.directive.dockerfile keyword.control.directive.dockerfile
# a plain comment ends the directive block
# ^^^^^^^ comment.line.number-sign.dockerfile
# syntax=ignored
# ^^^^^^ meta.escape-mode.backtick.dockerfile comment.line.number-sign.dockerfile - keyword.control.directive.dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# <---- meta.escape-mode.backtick.dockerfile meta.instruction.from.dockerfile keyword.other.special-method.dockerfile
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.image.dockerfile
#                                         ^^^^^^^^ constant.other.tag.dockerfile
COPY testfile.txt c:\
#                   ^ meta.instruction.copy.dockerfile - constant.character.escape.line-continuation.dockerfile constant.character.escape.dockerfile
RUN dir c:\
# <--- keyword.other.special-method.dockerfile
#         ^ - constant.character.escape.line-continuation.dockerfile
ENV PATH="C:\Program Files\app;${PATH}" QUOTE=a`"b
# <--- keyword.other.special-method.dockerfile
#           ^^ string.quoted.double.dockerfile - constant.character.escape.dockerfile
#                              ^^ string.quoted.double.dockerfile variable.other.bracket.dockerfile punctuation.definition.variable.begin.dockerfile
#                                       ^^^^^ variable.other.assignment.dockerfile
#                                              ^^ constant.character.escape.dockerfile
run powershell -Command `
# <--- keyword.other.special-method.dockerfile
#                       ^ constant.character.escape.line-continuation.dockerfile
    # comment lines are dropped inside the instruction
#   ^ meta.instruction.run.dockerfile comment.line.number-sign.dockerfile

    $ErrorActionPreference = 'Stop'; `
#   ^^^^^^^^^^^^^^^^^^^^^^ meta.instruction.run.dockerfile variable.other.normal.dockerfile
#                            ^^^^^^ string.quoted.single.dockerfile
#                                    ^ constant.character.escape.line-continuation.dockerfile
    Write-Host "done `"quoted`" \" not-in-string"
#   ^^^^^^^^^^ meta.instruction.run.dockerfile - keyword.other.special-method.dockerfile
#                    ^^ string.quoted.double.dockerfile constant.character.escape.dockerfile
#                               ^ string.quoted.double.dockerfile - constant.character.escape.dockerfile
#                                  ^^^^^^^^^^^^^ meta.instruction.run.dockerfile - string.quoted.double.dockerfile
CMD ["c:\\app\\app.exe", "--x"]
# <--- keyword.other.special-method.dockerfile
#       ^^ meta.array.json.dockerfile string.quoted.double.dockerfile constant.character.escape.dockerfile
#            ^^ constant.character.escape.dockerfile
