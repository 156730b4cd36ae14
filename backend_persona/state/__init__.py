"""Session state that is really kept: decisions, follow-ups and checkpoints per project.

Layout: ``<state home>/projects/<slug>-<hash>/<session id>.json``, one folder per
project (the hash is of the resolved root), folders 0700 and files 0600. Writers hold
a per-project lock and replace files atomically, so concurrent writers lose nothing
and readers never need the lock.

The modules, each importing only those before it:

- `model`: the records, as stored and as printed, and `PreviousSession`, the summary
  ``context`` shows (`backend_persona.models.ProjectContext` carries it);
- `inputs`: what a user gives, cleaned and checked (session ids, text, the decision
  ``state decision --stdin`` reads);
- `store`: the files of one project: where they live, the lock, reads and atomic
  writes, broken files moved aside, pruning;
- `session`: what the ``state`` commands do to a session, and the functions the CLI calls;
- `inbox`: the per-session file the model writes text into, which ``--file`` reads and
  removes;
- `previous`: the latest session as ``context`` reads it, importing neither filelock
  nor platformdirs on Linux; `backend_persona.context` calls it, discovery never does;
- `render`: sessions as markdown.

Nothing is imported here, so that ``context`` loads only what it reads.
"""
