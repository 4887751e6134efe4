"""hrcoop: the software of the cooperation machinery of HRC resolution 47 on international cooperation."""
