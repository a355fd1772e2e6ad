package dev.wheelwright.storage;

/** The kind of a distribution file, as the upload API and the JSON index name it ({@link #label()}). */
public enum PackageType {
    BDIST_WHEEL("bdist_wheel"),
    SDIST("sdist");

    private final String label;

    PackageType(String label) {
        this.label = label;
    }

    /** {@code bdist_wheel} or {@code sdist}, the stored spelling. */
    public String label() {
        return label;
    }

    /** The type labelled {@code label}; an unknown label is a {@link StorageException} (a corrupt row). */
    public static PackageType ofLabel(String label) {
        for (PackageType type : values()) {
            if (type.label.equals(label)) {
                return type;
            }
        }
        throw new StorageException("unknown package type in storage: " + label);
    }
}
