#!/bin/bash
# Started by the Lambda Web Adapter (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap runs the handler, this file).
# The adapter forwards each invocation to the server on AWS_LWA_PORT and streams its chunked answer back.
exec python3 "${LAMBDA_TASK_ROOT}/app.py"
