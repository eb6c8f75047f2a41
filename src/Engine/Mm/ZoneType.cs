namespace EcsMm.Mm;

/// <summary>Zone types on x86-64 (ZONE_MOVABLE and ZONE_DEVICE are not modelled).</summary>
public enum ZoneType : byte
{
    /// <summary>ZONE_DMA: below 16 MiB.</summary>
    Dma = 0,

    /// <summary>ZONE_DMA32: below 4 GiB.</summary>
    Dma32 = 1,

    /// <summary>ZONE_NORMAL: above 4 GiB.</summary>
    Normal = 2,
}
