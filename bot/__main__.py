"""Command line: python -m bot {train,run,serve,shell,purge,report,review,rasa}."""
from __future__ import annotations

import argparse
import os
import sys

from bot import endpoints, launcher, settings, training


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    sub.add_parser("run", help="start action server, Rasa server and web page")
    serve = sub.add_parser("serve", help="run ONE server in the foreground, configured like "
                           "`run` (containers: one process per container)")
    serve.add_argument("role", choices=["rasa", "actions", "web"])
    sub.add_parser("shell", help="rasa shell against the running action server")
    rasa = sub.add_parser("rasa", help="run a rasa command with the project's environment")
    rasa.add_argument("args", nargs=argparse.REMAINDER)
    purge_cmd = sub.add_parser("purge", help="delete old conversations / erase one (RGPD)",
                               description="Delete the conversations inactive for more "
                               "than RETENTION_DAYS (default 30) days, or erase one "
                               "conversation now (--sender). See docs/deployment.md.")
    purge_cmd.add_argument("--days", type=int, help="retention period (default RETENTION_DAYS, 30)")
    purge_cmd.add_argument("--sender", help="erase this conversation id, whatever its age")
    purge_cmd.add_argument("--channel", choices=[c.name for c in settings.CHANNELS],
                           help="--sender is the person's phone number / account id on this messaging "
                                "channel (its conversation id is the keyed hash, SENDER_HASH_KEY)")
    purge_cmd.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    report_cmd = sub.add_parser("report", help="staff report: what residents asked, where the assistant failed",
                                description="Writes DIR/report.html and DIR/report.json from the tracker store "
                                "(danger texts never shown, personal data masked). See docs/deployment.md.")
    report_cmd.add_argument("--days", type=int, default=30, help="period, in days up to now (default 30)")
    report_cmd.add_argument("--out", help="output directory (default var/report/)")
    review_cmd = sub.add_parser("review", help="label the messages the assistant did not understand",
                                description="Shows each unanswered message (masked), asks its intent, and "
                                "appends the labelled examples to data/nlu/from_review.yml for the next training.")
    review_cmd.add_argument("--days", type=int, default=30, help="period, in days up to now (default 30)")
    review_cmd.add_argument("--out", help="training file to append to (default data/nlu/from_review.yml)")
    args = parser.parse_args(argv)

    conf = settings.load()
    if args.command == "train":
        os.environ.update(launcher.rasa_env(conf))
        training.train(force=args.force)
        return 0
    if args.command == "run":
        return launcher.run(conf)
    if args.command == "purge":
        from bot import purge
        sender = args.sender
        if args.channel:
            if not sender or not conf.sender_hash_key:
                print("[purge] --channel needs --sender and SENDER_HASH_KEY (the key the channel uses)")
                return 2
            from bot.messaging.senders import pseudonym
            sender = pseudonym(conf.sender_hash_key, args.channel, sender)
        return purge.main(conf, days=args.days, sender=sender, dry_run=args.dry_run)
    if args.command == "report":
        from bot import report
        return report.main(conf, args.days, args.out)
    if args.command == "review":
        from bot import review
        return review.main(conf, args.days, args.out)
    if args.command == "serve":
        return launcher.serve(conf, args.role)
    env = launcher.rasa_env(conf)
    if args.command == "shell":
        cmd = [sys.executable, "-m", "rasa", "shell", "--model", str(training.MODEL_PATH),
               "--endpoints", str(endpoints.path_for(conf)),
               "--port", str(conf.rasa_port + 1)]
    else:
        cmd = [sys.executable, "-m", "rasa", *args.args]
    os.chdir(settings.ROOT)
    os.execve(sys.executable, cmd, env)


if __name__ == "__main__":
    sys.exit(main())
