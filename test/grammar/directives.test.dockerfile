# SYNTAX TEST "source.dockerfile" "parser directives at the top of the file; default backslash escape"
# syntax=docker/dockerfile:1.7
# <- meta.preprocessor.directive.dockerfile punctuation.definition.directive.dockerfile - comment.line.number-sign.dockerfile
# ^^^^^^ meta.preprocessor.directive.dockerfile keyword.control.directive.dockerfile
#       ^ keyword.operator.assignment.dockerfile
#        ^^^^^^^^^^^^^^^^^^^^^ string.unquoted.directive-value.dockerfile
  #  CHECK = skip=JSONArgsRecommended;error=true  
# ^ punctuation.definition.directive.dockerfile
#    ^^^^^ keyword.control.directive.dockerfile
#          ^ keyword.operator.assignment.dockerfile
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.directive-value.dockerfile
# escape=\
# ^^^^^^ keyword.control.directive.dockerfile
#        ^ string.unquoted.directive-value.dockerfile - meta.escape-mode.backtick.dockerfile
# unknown=directive ends the directive block
# <- comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile - meta.preprocessor.directive.dockerfile
# ^^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.dockerfile
# check=error=true
# <- comment.line.number-sign.dockerfile - meta.preprocessor.directive.dockerfile
# ^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.dockerfile
FROM alpine
# <---- keyword.other.special-method.dockerfile - meta.escape-mode.backtick.dockerfile
RUN echo c:\ \
#          ^ constant.character.escape.dockerfile
#            ^ constant.character.escape.line-continuation.dockerfile
    done `
#        ^ - constant.character.escape.line-continuation.dockerfile
COPY a b
# <---- keyword.other.special-method.dockerfile
