package dev.wheelwright;

public final class Wheelwright {
    public static void main(String[] args) {}
}
