"""Command line: python -m bot {train,run,shell,env}."""
from __future__ import annotations

import argparse
import os
import sys

from bot import launcher, settings, training


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    sub.add_parser("run", help="start action server, Rasa server and web page")
    sub.add_parser("shell", help="rasa shell against the running action server")
    rasa = sub.add_parser("rasa", help="run a rasa command with the project's environment")
    rasa.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    conf = settings.load()
    if args.command == "train":
        os.environ.update(launcher.rasa_env(conf))
        training.train(force=args.force)
        return 0
    if args.command == "run":
        return launcher.run(conf)
    env = launcher.rasa_env(conf)
    if args.command == "shell":
        cmd = [sys.executable, "-m", "rasa", "shell", "--model", str(training.MODEL_PATH),
               "--endpoints", env.get("RASA_ENDPOINTS", "endpoints.yml"),
               "--port", str(conf.rasa_port + 1)]
    else:
        cmd = [sys.executable, "-m", "rasa", *args.args]
    os.chdir(settings.ROOT)
    os.execve(sys.executable, cmd, env)


if __name__ == "__main__":
    sys.exit(main())
