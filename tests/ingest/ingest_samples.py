"""Two short made-up news texts the table readers' tests (CSV/TSV, Parquet) put in their rows."""

BRIDGE = (
    "The new harbour bridge opened to traffic on Monday morning after five years of construction work. "
    "City officials said the crossing would cut commuting times for thousands of residents."
)
HARVEST = (
    "Farmers in the valley reported a record harvest this autumn after a wet spring. "
    "Grain prices fell at the regional market as the silos filled to the brim."
)
