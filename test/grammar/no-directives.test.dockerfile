# SYNTAX TEST "source.dockerfile" "a directive after a blank first line is a comment, and escape=` does not switch modes"

# escape=`
# <- comment.line.number-sign.dockerfile - meta.preprocessor.directive.dockerfile
# ^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.dockerfile
FROM alpine
# <---- keyword.other.special-method.dockerfile - meta.escape-mode.backtick.dockerfile
RUN echo one `
#            ^ - constant.character.escape.line-continuation.dockerfile
RUN echo two \
# <--- keyword.other.special-method.dockerfile
#            ^ constant.character.escape.line-continuation.dockerfile
    three
#   ^^^^^ meta.instruction.run.dockerfile
