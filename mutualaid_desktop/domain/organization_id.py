"""The organization profile's fixed id (no pydantic here: the store needs it at start-up)."""

import uuid

# The same in every database: two organizers' profiles are the same record,
# so merging them is an ordinary field-by-field merge.
ORGANIZATION_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "mutualaid-desktop:organization"))
