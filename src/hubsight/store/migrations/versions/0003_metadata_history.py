"""Metadata history: parameter counts, and a repo's tracked metadata kept as versions.

``repos`` keeps the current metadata and gains ``num_params`` and ``meta_since`` (the day the current
metadata was first listed; existing rows start at their ``first_seen``). ``repo_versions`` holds the
closed versions only, so a repo whose metadata never changes costs nothing more.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

NUM_PARAMS = "parameters: the Hub's safetensors total, else its gguf total; null when it gives neither"
META_SINCE = "first crawl date of the current tracked metadata (the current version's valid_from)"


def upgrade() -> None:
    op.add_column("repos", sa.Column("num_params", sa.BigInteger(), nullable=True, comment=NUM_PARAMS))
    op.add_column("repos", sa.Column("meta_since", sa.Date(), nullable=True, comment=META_SINCE))
    op.execute("UPDATE repos SET meta_since = first_seen")
    op.create_table(
        "repo_versions",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("rid", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("valid_from", sa.Date(), primary_key=True, comment="first crawl date this metadata was listed"),
        sa.Column("valid_to", sa.Date(), nullable=False, comment="first crawl date it no longer was (exclusive)"),
        sa.Column("pipeline_tag", sa.String(64)),
        sa.Column("library_name", sa.String(64)),
        sa.Column("tags", sa.JSON()),
        sa.Column("gated", sa.String(16)),
        sa.Column("sdk", sa.String(32)),
        sa.Column("runtime_stage", sa.String(32)),
        sa.Column("num_params", sa.BigInteger()),
    )


def downgrade() -> None:
    op.drop_table("repo_versions")
    with op.batch_alter_table("repos") as batch:
        batch.drop_column("meta_since")
        batch.drop_column("num_params")
