namespace AutoGlacier.Vaults.Glacier;

/// <summary>Turns a failed request into a message a user can act on. Never includes credentials.</summary>
internal static class GlacierErrorMessages
{
    public static string Describe(GlacierCall call, GlacierSettings settings, string failure, string advice)
    {
        string detail = call.Detail is null ? "" : ", " + call.Detail;
        return $"Glacier {call.Operation} failed for vault '{settings.VaultName}' in {settings.Region}{detail}: {failure}. {advice}";
    }

    public static string Advice(GlacierCall call, GlacierSettings settings, string code) => code switch
    {
        "InvalidSignatureException" or "UnrecognizedClientException" or "IncompleteSignatureException"
            or "MissingAuthenticationTokenException" or "AccessDeniedException" or "SignatureDoesNotMatch" =>
            "Check the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the configuration or environment, or AWS_PROFILE), that they may use this vault, and that this machine's clock is correct.",
        "ResourceNotFoundException" when call.Operation is "DescribeVault" or "CreateVault" or "InitiateMultipartUpload" or "UploadArchive" =>
            $"Create the vault (aws glacier create-vault --account-id - --vault-name {settings.VaultName} --region {settings.Region}) or set CREATE_VAULT to true; check VAULT_NAME and REGION_NAME.",
        "ResourceNotFoundException" when call.Operation is "UploadMultipartPart" or "CompleteMultipartUpload" or "ListParts" =>
            "The multipart upload no longer exists (aborted, or dropped by Glacier after 24 h idle); run the backup again.",
        "ResourceNotFoundException" =>
            "The archive or job does not exist in this vault; check the run's archive id in the log, and start a new retrieval if the job expired (job output is kept about 24 h).",
        "PolicyEnforcedException" =>
            "The vault's data retrieval policy refused this; raise the policy's limit or retrieve with a slower tier (RETRIEVAL_TIER=Bulk).",
        "LimitExceededException" =>
            "An account limit was reached (e.g. too many running jobs or vaults); wait for jobs to finish or ask AWS to raise the limit.",
        "InvalidParameterValueException" or "MissingParameterValueException" =>
            "Glacier rejected a parameter; check PART_SIZE_MB (a power of two, 1..1024) and report this message if the configuration is valid.",
        _ => "Try again later; if it keeps failing, check the service health and the endpoint (ENDPOINT_URL).",
    };
}
