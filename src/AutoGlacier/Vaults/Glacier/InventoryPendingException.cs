namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// A Glacier vault is listed through an inventory-retrieval job, which takes hours; until it succeeds, listing
/// raises this (with the job id) instead of returning an incomplete list. Call again later.
/// </summary>
public sealed class InventoryPendingException : AutoGlacierException
{
    /// <inheritdoc />
    public InventoryPendingException(string message) : base(message) { }

    /// <inheritdoc />
    public InventoryPendingException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public InventoryPendingException() { }
}
