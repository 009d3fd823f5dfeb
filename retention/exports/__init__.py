"""Exports of records as verifiable BagIt packages (RFC 8493) for public-records requests, e-discovery and
transfer to the permanent archive (385.5.1(a), 385.7).

- `services`: start an export, report its progress, hand out the package (audited), expire old packages.
- `bag`: build the package from the records, streaming, in constant memory.
- `redact`: the redacted copy a public release carries (the records themselves never change).
- `loadfile`: the Concordance DAT load file for e-discovery review platforms.
- `verify`: check a delivered ZIP, naming every file that does not verify.
- `tasks`: the build task and the sweeper.
"""
