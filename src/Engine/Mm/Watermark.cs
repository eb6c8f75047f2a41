namespace EcsMm.Mm;

/// <summary>enum zone_watermarks.</summary>
public enum Watermark
{
    Min = 0,
    Low = 1,
    High = 2,
}
