"""Prints a SAM template as the CloudFormation JSON it becomes, transformed the way cfn-lint does it: offline, no credentials."""
import json
import sys

import cfnlint.decode
from cfnlint.template import Template


def main(path: str) -> None:
    template, problems = cfnlint.decode.decode(path)
    if problems:
        sys.exit("\n".join(str(problem) for problem in problems))
    # cfn-lint's Template runs samtranslator with local CodeUris replaced, as `cfn-lint` itself does before linting.
    cfn = Template(path, template, ["us-east-1"])
    problems = cfn.transform()
    if problems:
        sys.exit("\n".join(str(problem) for problem in problems))
    # Decoded nodes are dict and str subclasses; default=str covers the few that json does not know.
    json.dump(cfn.template, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
