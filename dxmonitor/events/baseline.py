"""The benchmark's pandas baseline: the per agency and month counts in plain pandas. No Django here.

Run in a process of its own (`bench events`), so it imports nothing that needs settings.
"""

import time

from dxmonitor.core.bench import peak_rss_mb


def pandas_counts(dossiers_dir: str):
    """The counts of sql.AGENCY_MONTH computed with pandas from the same Parquet files."""
    import pandas as pd
    import pyarrow.dataset as ds

    dataset = ds.dataset(dossiers_dir, format="parquet", partitioning="hive")
    columns = [
        "agency_id",
        "month",
        "sign",
        "channel",
        "fully_online_service",
        "digital_result",
        "data_reused",
        "digitised",
        "on_time",
        "paid_online",
        "synthetic",
    ]
    frame = dataset.to_table(columns=columns).to_pandas()
    frame = frame[frame["sign"] != 0]
    online = frame["channel"] == 1
    sign = frame["sign"].astype("int64")
    parts = pd.DataFrame(
        {
            "agency_id": frame["agency_id"],
            "month": frame["month"],
            "dossiers": sign,
            "online": online * sign,
            "fully_online": (online & (frame["fully_online_service"] == 1)) * sign,
            "digital_result": frame["digital_result"] * sign,
            "data_reused": frame["data_reused"] * sign,
            "digitised": frame["digitised"] * sign,
            "done": frame["on_time"].notna() * sign,
            "on_time": frame["on_time"].fillna(0) * sign,
            "with_fee": frame["paid_online"].notna() * sign,
            "paid_online": frame["paid_online"].fillna(0) * sign,
            "synthetic": frame["synthetic"] * sign,
        }
    )
    return parts.groupby(["agency_id", "month"], sort=False).sum()


def timed_pandas_counts(dossiers_dir: str) -> tuple[float, float]:
    """Seconds taken and this process's peak memory in MB."""
    start = time.perf_counter()
    pandas_counts(dossiers_dir)
    seconds = time.perf_counter() - start
    return seconds, peak_rss_mb()
