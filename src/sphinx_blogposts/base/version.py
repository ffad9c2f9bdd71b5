"""The package version: in base, so that every stage can name it without importing the
package root (whose ``setup`` registers every stage)."""

__version__ = "0.1.0"
